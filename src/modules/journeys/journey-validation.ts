/**
 * The graph rules of a journey definition, beyond its shape: every pointer names a step,
 * every step is reachable from the start, every cycle passes a wait, split weights sum to
 * 100, channels and templates exist, the tags, segments and members named exist in the
 * workspace (when the caller loaded them), group SOPs use only steps that address groups.
 * Each problem names its place: `steps[3].next: unknown step "s9"`. Pure.
 */
import type { ErrorDetail } from '../../platform/errors.ts';
import { triggerProblem } from './journey-time.ts';
import type { JourneyDefinition, Step } from './journeys.schemas.ts';

/** What a definition is checked against: the messaging module's channels and templates. */
export interface ValidationContext {
  channels: ReadonlySet<string>;
  /** Known templates by id (only those the definition names need be present). */
  templates: ReadonlyMap<string, { channel: string }>;
  /** The channel that posts to groups (group SOPs). */
  groupChannel: string;
  /**
   * Which of the tags, segments and members the definition names exist in the workspace
   * (see `referencesOf`); a kind left out is not checked.
   */
  known?: { tags?: ReadonlySet<string>; segments?: ReadonlySet<string>; members?: ReadonlySet<string> };
}

/** The tags, segments and members a definition names (to load before validating). */
export function referencesOf(def: JourneyDefinition): { tagIds: string[]; segmentIds: string[]; userIds: string[] } {
  const tagIds = new Set<string>();
  const segmentIds = new Set<string>();
  const userIds = new Set<string>();
  const t = def.trigger;
  if (t.type === 'segment') segmentIds.add(t.segmentId);
  if (t.type === 'schedule' && t.audience.type === 'segment') segmentIds.add(t.audience.segmentId);
  for (const e of def.exits) if (e.type === 'left_segment' && e.segmentId) segmentIds.add(e.segmentId);
  for (const s of def.steps) {
    if (s.type === 'tag') s.tagIds.forEach((id) => tagIds.add(id));
    if (s.type === 'task' && s.assignee.type === 'user') userIds.add(s.assignee.userId);
  }
  return { tagIds: [...tagIds], segmentIds: [...segmentIds], userIds: [...userIds] };
}

function referenceIssues(def: JourneyDefinition, known: NonNullable<ValidationContext['known']>): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  const segment = (field: string, id: string) => {
    if (known.segments && !known.segments.has(id.toLowerCase())) out.push(issue(field, 'unknown_segment', `unknown segment "${id}"`));
  };
  const t = def.trigger;
  if (t.type === 'segment') segment('trigger.segmentId', t.segmentId);
  if (t.type === 'schedule' && t.audience.type === 'segment') segment('trigger.audience.segmentId', t.audience.segmentId);
  def.exits.forEach((e, i) => {
    if (e.type === 'left_segment' && e.segmentId) segment(`exits[${i}].segmentId`, e.segmentId);
  });
  def.steps.forEach((s, i) => {
    if (s.type === 'tag' && known.tags) {
      s.tagIds.forEach((id, j) => {
        if (!known.tags!.has(id.toLowerCase())) out.push(issue(`steps[${i}].tagIds[${j}]`, 'unknown_tag', `unknown tag "${id}"`));
      });
    }
    if (s.type === 'task' && s.assignee.type === 'user' && known.members && !known.members.has(s.assignee.userId.toLowerCase())) {
      out.push(issue(`steps[${i}].assignee.userId`, 'not_a_member', `"${s.assignee.userId}" is not a member of this workspace`));
    }
  });
  return out;
}

const WAITS = new Set<Step['type']>(['wait', 'wait_until']);

/** Every pointer out of a step, with the field that holds it. */
export function stepPointers(step: Step): { field: string; to: string }[] {
  const out: { field: string; to: string }[] = [];
  const add = (field: string, to: string | null | undefined) => {
    if (to) out.push({ field, to });
  };
  if (step.type === 'branch') {
    add('then', step.then);
    add('else', step.else);
  } else if (step.type === 'split') {
    step.variants.forEach((v, i) => add(`variants[${i}].next`, v.next));
  } else {
    add('next', step.next);
  }
  return out;
}

export function startStepId(def: Pick<JourneyDefinition, 'start' | 'steps'>): string {
  return def.start ?? def.steps[0]!.id;
}

const issue = (field: string, reason: string, message: string): ErrorDetail => ({ field, reason, message: `${field}: ${message}` });

function pointerIssues(def: JourneyDefinition, index: Map<string, number>): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  def.steps.forEach((s, i) => {
    if (index.get(s.id) !== i) out.push(issue(`steps[${i}].id`, 'duplicate_step', `duplicate step id "${s.id}"`));
    for (const p of stepPointers(s)) {
      if (!index.has(p.to)) out.push(issue(`steps[${i}].${p.field}`, 'unknown_step', `unknown step "${p.to}"`));
    }
  });
  if (def.start && !index.has(def.start)) out.push(issue('start', 'unknown_step', `unknown step "${def.start}"`));
  return out;
}

function reachabilityIssues(def: JourneyDefinition, index: Map<string, number>): ErrorDetail[] {
  const seen = new Set<string>();
  const queue = [startStepId(def)];
  while (queue.length) {
    const id = queue.pop()!;
    const i = index.get(id);
    if (i === undefined || seen.has(id)) continue;
    seen.add(id);
    for (const p of stepPointers(def.steps[i]!)) queue.push(p.to);
  }
  return def.steps.flatMap((s, i) =>
    seen.has(s.id) || index.get(s.id) !== i ? [] : [issue(`steps[${i}]`, 'unreachable_step', `step "${s.id}" is unreachable from the start`)],
  );
}

/** A cycle that passes no wait would run forever within one moment; report each such cycle once. */
function cycleIssues(def: JourneyDefinition, index: Map<string, number>): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (id: string) => {
    state.set(id, 'open');
    path.push(id);
    const i = index.get(id)!;
    for (const p of stepPointers(def.steps[i]!)) {
      const j = index.get(p.to);
      if (j === undefined || WAITS.has(def.steps[j]!.type)) continue;
      if (state.get(p.to) === 'open') {
        const loop = [...path.slice(path.indexOf(p.to)), p.to].join(' → ');
        out.push(issue(`steps[${i}].${p.field}`, 'cycle_without_wait', `cycle without a wait: ${loop}`));
      } else if (!state.has(p.to)) visit(p.to);
    }
    path.pop();
    state.set(id, 'done');
  };
  def.steps.forEach((s, i) => {
    if (index.get(s.id) === i && !WAITS.has(s.type) && !state.has(s.id)) visit(s.id);
  });
  return out;
}

function stepIssues(def: JourneyDefinition, ctx: ValidationContext): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  const forGroups = def.trigger.type === 'schedule' && def.trigger.audience.type === 'groups';
  let splits = 0;
  def.steps.forEach((s, i) => {
    const at = `steps[${i}]`;
    if (s.type === 'split') {
      if (++splits > 1) out.push(issue(at, 'second_split', 'a journey has at most one split (its variants are the journey\'s A/B groups)'));
      const sum = s.variants.reduce((n, v) => n + v.weight, 0);
      if (sum !== 100) out.push(issue(`${at}.variants`, 'weights_not_100', `weights sum to ${sum}, not 100`));
      const keys = new Set<string>();
      s.variants.forEach((v, j) => {
        if (keys.has(v.key)) out.push(issue(`${at}.variants[${j}].key`, 'duplicate_variant', `duplicate variant "${v.key}"`));
        keys.add(v.key);
      });
    }
    if (s.type === 'send') {
      if (!ctx.channels.has(s.channel)) out.push(issue(`${at}.channel`, 'unknown_channel', `unknown channel "${s.channel}"`));
      else if (forGroups !== (s.channel === ctx.groupChannel)) {
        out.push(
          forGroups
            ? issue(`${at}.channel`, 'groups_only', `a group SOP posts to groups: use channel "${ctx.groupChannel}"`)
            : issue(`${at}.channel`, 'customers_only', `channel "${ctx.groupChannel}" posts to groups: use it in a journey whose audience is groups`),
        );
      }
      if (s.templateId) {
        const t = ctx.templates.get(s.templateId);
        if (!t) out.push(issue(`${at}.templateId`, 'unknown_template', `unknown template "${s.templateId}"`));
        else if (t.channel !== s.channel) out.push(issue(`${at}.templateId`, 'template_channel', `template "${s.templateId}" is for channel "${t.channel}", not "${s.channel}"`));
      }
    }
    if (forGroups && (s.type === 'branch' || s.type === 'split' || s.type === 'tag' || s.type === 'webhook')) {
      out.push(issue(at, 'groups_only', `a group SOP addresses groups, not customers: ${s.type} steps need customers`));
    }
    if (forGroups && s.type === 'task' && s.assignee.type === 'owner') {
      out.push(issue(`${at}.assignee`, 'groups_only', 'a group has no owner advisor: assign a pool or a member'));
    }
  });
  return out;
}

function ruleIssues(def: JourneyDefinition): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  const problem = triggerProblem(def.trigger);
  if (problem) out.push(issue('trigger.cron', 'invalid_cron', problem));
  const forGroups = def.trigger.type === 'schedule' && def.trigger.audience.type === 'groups';
  def.exits.forEach((e, i) => {
    if (e.type === 'left_segment' && !e.segmentId && def.trigger.type !== 'segment') {
      out.push(issue(`exits[${i}].segmentId`, 'segment_required', 'name the segment: the trigger is not a segment'));
    }
    if (forGroups) out.push(issue(`exits[${i}]`, 'groups_only', 'exit rules are about customers; a group SOP has none'));
  });
  if (forGroups && def.goal) out.push(issue('goal', 'groups_only', 'goals are about customers; a group SOP has none'));
  return out;
}

/** Every problem of a definition (empty when it may go live). */
export function definitionIssues(def: JourneyDefinition, ctx: ValidationContext): ErrorDetail[] {
  const index = new Map<string, number>();
  def.steps.forEach((s, i) => {
    if (!index.has(s.id)) index.set(s.id, i);
  });
  return [
    ...pointerIssues(def, index),
    ...reachabilityIssues(def, index),
    ...cycleIssues(def, index),
    ...stepIssues(def, ctx),
    ...ruleIssues(def),
    ...(ctx.known ? referenceIssues(def, ctx.known) : []),
  ];
}

/** Template ids a definition names (to load before validating). */
export function templateIdsOf(def: JourneyDefinition): string[] {
  return [...new Set(def.steps.flatMap((s) => (s.type === 'send' && s.templateId ? [s.templateId] : [])))];
}
