/**
 * Pure helpers over a journey definition as the flow editor changes it: new steps, the
 * pointers out of a step (one per canvas handle), connecting and removing, a default layout
 * for steps without a saved position, and placing validation issues on the node they name.
 */
import type { Rule } from '../../segments/rule/types.ts';
import type { Issue, JourneyDefinition, Step, StepType, Trigger } from '../types.ts';

/** The canvas id of the trigger node (step ids start with a letter, so never collide with it). */
export const TRIGGER_NODE = '__trigger';
/** Issues about re-entry, exits, the goal or the whole definition: the settings panel. */
export const SETTINGS_NODE = '__settings';

export const DEFAULT_CONDITION: Rule = { type: 'and', children: [{ type: 'order_stat', metric: 'paid_order_count', op: 'gte', value: 1 }] };

export function newDefinition(): JourneyDefinition {
  return { trigger: { type: 'manual' }, steps: [], reentry: { mode: 'never' }, exits: [], goal: null };
}

export function newTrigger(type: Trigger['type']): Trigger {
  switch (type) {
    case 'event':
      return { type: 'event', eventType: 'order.paid' };
    case 'segment':
      return { type: 'segment', segmentId: '', change: 'entered' };
    case 'schedule':
      return { type: 'schedule', cron: '0 10 * * 1', audience: { type: 'segment', segmentId: '' } };
    case 'date':
      return { type: 'date', attribute: 'birthday', at: '10:00', offsetDays: 0 };
    case 'joined':
      return { type: 'joined', days: 7, at: '10:00' };
    case 'manual':
      return { type: 'manual' };
  }
}

/** A fresh step id for the type: `send_1`, `send_2`, … not taken yet. */
export function freshId(def: JourneyDefinition, type: StepType): string {
  const taken = new Set(def.steps.map((s) => s.id));
  for (let n = 1; ; n++) if (!taken.has(`${type}_${n}`)) return `${type}_${n}`;
}

export function newStep(type: StepType, id: string): Step {
  switch (type) {
    case 'wait':
      return { id, type, duration: { days: 1 }, next: null };
    case 'wait_until':
      return { id, type, time: '10:00', next: null };
    case 'branch':
      return { id, type, condition: DEFAULT_CONDITION, then: null, else: null };
    case 'split':
      return { id, type, variants: [{ key: 'A', weight: 50, next: null }, { key: 'B', weight: 50, next: null }] };
    case 'send':
      return { id, type, channel: 'wecom', content: { text: '' }, next: null };
    case 'tag':
      return { id, type, action: 'add', tagIds: [], next: null };
    case 'task':
      return { id, type, kind: 'private_chat', title: '', assignee: { type: 'owner' }, dueInHours: 24, next: null };
    case 'webhook':
      return { id, type, url: 'https://', next: null };
  }
}

export interface Pointer {
  /** The canvas handle: `next`, `then`, `else` or `v0`, `v1`, … for split variants. */
  handle: string;
  to: string | null;
}

/** Every pointer out of a step, set or not, in handle order. */
export function pointersOf(step: Step): Pointer[] {
  if (step.type === 'branch') return [{ handle: 'then', to: step.then ?? null }, { handle: 'else', to: step.else ?? null }];
  if (step.type === 'split') return step.variants.map((v, i) => ({ handle: `v${i}`, to: v.next ?? null }));
  return [{ handle: 'next', to: step.next ?? null }];
}

/** The step with the pointer of `handle` set to `to` (null disconnects). */
export function withPointer(step: Step, handle: string, to: string | null): Step {
  if (step.type === 'branch') {
    if (handle === 'then') return { ...step, then: to };
    if (handle === 'else') return { ...step, else: to };
    return step;
  }
  if (step.type === 'split') {
    const i = Number(handle.slice(1));
    return { ...step, variants: step.variants.map((v, j) => (j === i ? { ...v, next: to } : v)) };
  }
  return { ...step, next: to };
}

export function startOf(def: JourneyDefinition): string | null {
  return def.start ?? def.steps[0]?.id ?? null;
}

/** Connects `handle` of `source` (or the trigger) to `target`; the trigger's edge names the start. */
export function connect(def: JourneyDefinition, source: string, handle: string | null, target: string): JourneyDefinition {
  if (source === target || target === TRIGGER_NODE) return def;
  if (source === TRIGGER_NODE) return { ...def, start: target };
  return { ...def, steps: def.steps.map((s) => (s.id === source ? withPointer(s, handle ?? 'next', target) : s)) };
}

export function disconnect(def: JourneyDefinition, source: string, handle: string): JourneyDefinition {
  if (source === TRIGGER_NODE) return def;
  return { ...def, steps: def.steps.map((s) => (s.id === source ? withPointer(s, handle, null) : s)) };
}

/** Removes a step and every pointer to it. */
export function removeStep(def: JourneyDefinition, id: string): JourneyDefinition {
  const steps = def.steps
    .filter((s) => s.id !== id)
    .map((s) => pointersOf(s).reduce((acc, p) => (p.to === id ? withPointer(acc, p.handle, null) : acc), s));
  const { start, ...rest } = def;
  return start && start !== id ? { ...rest, start, steps } : { ...rest, steps };
}

export function replaceStep(def: JourneyDefinition, id: string, next: Step): JourneyDefinition {
  return { ...def, steps: def.steps.map((s) => (s.id === id ? next : s)) };
}

/** Adds a step; it follows `after` (a step or the trigger) when that pointer is still free. */
export function addStep(def: JourneyDefinition, type: StepType, after: string | null, position: { x: number; y: number }): { def: JourneyDefinition; id: string } {
  const id = freshId(def, type);
  const step = { ...newStep(type, id), ui: { x: Math.round(position.x), y: Math.round(position.y) } } as Step;
  let out: JourneyDefinition = { ...def, steps: [...def.steps, step] };
  const from = after ? def.steps.find((s) => s.id === after) : undefined;
  const free = from ? pointersOf(from).find((p) => !p.to) : undefined;
  if (from && free) out = connect(out, from.id, free.handle, id);
  return { def: out, id };
}

export const NODE_GAP_X = 280;
export const NODE_GAP_Y = 170;

/**
 * Where a new step goes: under the node it follows (shifted towards the exit it hangs from),
 * or under everything; moved right until it overlaps no node.
 */
export function placeNew(def: JourneyDefinition, after: string | null): { x: number; y: number } {
  const positions = layout(def);
  const from = after ? positions.get(after) : undefined;
  let at: { x: number; y: number };
  if (from) {
    const step = def.steps.find((s) => s.id === after);
    const pointers = step ? pointersOf(step) : [];
    const free = pointers.findIndex((p) => !p.to);
    const shift = pointers.length > 1 && free >= 0 ? (free - (pointers.length - 1) / 2) * NODE_GAP_X : 0;
    at = { x: from.x + shift, y: from.y + NODE_GAP_Y };
  } else {
    at = { x: positions.get(TRIGGER_NODE)?.x ?? 0, y: Math.max(...[...positions.values()].map((p) => p.y)) + NODE_GAP_Y };
  }
  const taken = [...positions.values()];
  while (taken.some((p) => Math.abs(p.x - at.x) < NODE_GAP_X - 20 && Math.abs(p.y - at.y) < NODE_GAP_Y - 40)) at = { ...at, x: at.x + NODE_GAP_X };
  return at;
}

/** Positions by depth from the start for steps without a saved one (playbooks, API-made journeys). */
export function layout(def: JourneyDefinition): Map<string, { x: number; y: number }> {
  const out = new Map<string, { x: number; y: number }>();
  const trigger = def.ui?.trigger as { x?: number; y?: number } | undefined;
  out.set(TRIGGER_NODE, { x: trigger?.x ?? 0, y: trigger?.y ?? 0 });
  const byId = new Map(def.steps.map((s) => [s.id, s]));
  const depth = new Map<string, number>();
  const start = startOf(def);
  const queue: string[] = start ? [start] : [];
  if (start) depth.set(start, 1);
  while (queue.length) {
    const id = queue.shift()!;
    const step = byId.get(id);
    if (!step) continue;
    for (const p of pointersOf(step)) {
      if (p.to && byId.has(p.to) && !depth.has(p.to)) {
        depth.set(p.to, depth.get(id)! + 1);
        queue.push(p.to);
      }
    }
  }
  const perRow = new Map<number, number>();
  let unreached = 0;
  for (const s of def.steps) {
    if (typeof s.ui?.x === 'number' && typeof s.ui.y === 'number') {
      out.set(s.id, { x: s.ui.x, y: s.ui.y });
      continue;
    }
    const d = depth.get(s.id);
    if (d === undefined) {
      out.set(s.id, { x: NODE_GAP_X * 2, y: NODE_GAP_Y * unreached++ });
      continue;
    }
    const col = perRow.get(d) ?? 0;
    perRow.set(d, col + 1);
    out.set(s.id, { x: col * NODE_GAP_X, y: d * NODE_GAP_Y });
  }
  return out;
}

/** The place an issue names, below an optional `definition.` prefix: the node and the rest of the path. */
export function issueTarget(def: JourneyDefinition, field: string | undefined): { node: string; rest: string } {
  const f = (field ?? '').replace(/^definition\.?/, '');
  const step = /^steps\[(\d+)\]\.?(.*)$/.exec(f);
  if (step) {
    const s = def.steps[Number(step[1])];
    return s ? { node: s.id, rest: step[2] ?? '' } : { node: SETTINGS_NODE, rest: f };
  }
  if (f === 'start' || f.startsWith('trigger')) return { node: TRIGGER_NODE, rest: f.replace(/^trigger\.?/, '') };
  return { node: SETTINGS_NODE, rest: f };
}

/**
 * Issues grouped by the node they concern. `checked` is the definition the server answered on:
 * when steps were added or removed since, a step's issues follow the step (by id) to its
 * place in `current`, and issues of steps removed since are dropped.
 */
export function placeIssues(checked: JourneyDefinition, issues: readonly Issue[], current: JourneyDefinition = checked): Map<string, Issue[]> {
  const out = new Map<string, Issue[]>();
  for (const i of issues) {
    let issue = i;
    const { node } = issueTarget(checked, i.field);
    if (node !== TRIGGER_NODE && node !== SETTINGS_NODE) {
      const now = current.steps.findIndex((s) => s.id === node);
      if (now < 0) continue;
      issue = { ...i, field: (i.field ?? '').replace(/^(definition\.)?steps\[\d+\]/, (_m, pre: string | undefined) => `${pre ?? ''}steps[${now}]`) };
    }
    out.set(node, [...(out.get(node) ?? []), issue]);
  }
  return out;
}

/** Issues inside a step's (or the trigger's, or an exit's) rule, as the rule editor places them (`rule.children[0].value`). */
export function ruleIssues(issues: readonly Issue[], prefix: RegExp): Issue[] {
  return issues.flatMap((i) => {
    const f = (i.field ?? '').replace(/^definition\.?/, '');
    const m = prefix.exec(f);
    return m ? [{ ...i, field: `rule${f.slice(m[0].length)}` }] : [];
  });
}

/** The definition as compared for validation: positions do not change what the server says. */
export function withoutUi(def: JourneyDefinition): JourneyDefinition {
  const { ui: _ui, ...rest } = def;
  return { ...rest, steps: def.steps.map(({ ui: _s, ...s }) => s as Step) };
}
