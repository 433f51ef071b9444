/**
 * What one step does to one enrollment, as a pure function: where the customer goes next,
 * what to record, and the effects to carry out in the batch's transaction (sends, tasks, tag
 * changes). Waits store their end time; a loop back through a wait counts a new pass of each
 * step, and the pass number is part of every idempotency key.
 */
import type { SendRequest } from '../messaging/index.ts';
import { messageKey } from '../messaging/index.ts';
import type { NewTask } from '../tasks/index.ts';
import type { GroupPost } from './journeys.deps.ts';
import type { JourneyDefinition, Step, StepType } from './journeys.schemas.ts';
import { nextLocalTime, waitEnd } from './journey-time.ts';
import { chooseVariant } from './split.ts';

export const MAX_LOG = 20;
const HOUR_MS = 3_600_000;

export interface LogEntry {
  at: string;
  step: string;
  type: StepType | 'exit' | 'enter';
  /** entered, waiting, sent, held, suppressed, queued, failed, task, tagged, branched, split, completed, exited */
  outcome: string;
  reason?: string | null;
  detail?: Record<string, unknown>;
}

/** An enrollment as the runner holds it while a batch runs. */
export interface Enrollment {
  id: number;
  journeyId: string;
  version: number;
  customerId: number | null;
  groupId: string | null;
  occurrence: string;
  state: 'active' | 'completed' | 'exited';
  currentStep: string | null;
  isWaiting: boolean;
  nextRunAt: Date | null;
  variant: string | null;
  visits: Record<string, number>;
  log: LogEntry[];
  lastStepAt: Date | null;
  endedAt: Date | null;
  endReason: string | null;
}

export type Effect =
  | { kind: 'send'; enrollmentId: number; logIndex: number; request: SendRequest }
  | { kind: 'group_post'; enrollmentId: number; logIndex: number; post: GroupPost }
  | { kind: 'tag'; action: 'add' | 'remove'; tagId: string; customerId: number }
  | { kind: 'task'; task: NewTask };

export interface StepEnv {
  now: Date;
  timeZone: string;
  journeyName: string;
  definition: JourneyDefinition;
  /** The customer's owner advisor (operator tasks). */
  ownerOf(customerId: number): string | null;
}

export function stepById(def: JourneyDefinition, id: string): Step | undefined {
  return def.steps.find((s) => s.id === id);
}

export function appendLog(e: Enrollment, entry: LogEntry): number {
  e.log.push(entry);
  if (e.log.length > MAX_LOG) e.log.splice(0, e.log.length - MAX_LOG);
  return e.log.length - 1;
}

export function endEnrollment(e: Enrollment, state: 'completed' | 'exited', reason: string, now: Date, step?: string): void {
  e.state = state;
  e.endReason = reason;
  e.endedAt = now;
  e.isWaiting = false;
  e.nextRunAt = null;
  appendLog(e, { at: now.toISOString(), step: step ?? e.currentStep ?? '', type: 'exit', outcome: state, reason });
  e.currentStep = null;
}

/** Moves to `next` (a new pass of it), or completes the journey when there is none. */
export function goTo(e: Enrollment, next: string | null | undefined, now: Date): void {
  if (!next) {
    endEnrollment(e, 'completed', 'completed', now);
    return;
  }
  e.currentStep = next;
  e.isWaiting = false;
  e.visits[next] = (e.visits[next] ?? 0) + 1;
}

/** The ledger / task key of this pass: journey version + step + subject + occurrence (+ pass when looping). */
export function effectKey(e: Enrollment, step: string): string {
  const pass = e.visits[step] ?? 1;
  return messageKey({
    sourceKind: 'journey',
    sourceId: e.journeyId,
    version: e.version,
    step,
    customerId: e.customerId ?? 0,
    occurrence: `${e.groupId ? `group:${e.groupId}:` : ''}${e.occurrence}${pass > 1 ? `#${pass}` : ''}`,
  });
}

function waitStep(e: Enrollment, step: Extract<Step, { type: 'wait' | 'wait_until' }>, env: StepEnv): void {
  if (e.isWaiting) {
    // The wait is over: on to the next step.
    goTo(e, step.next, env.now);
    return;
  }
  const until = step.type === 'wait' ? waitEnd(env.now, step.duration, env.timeZone) : nextLocalTime(env.now, step.time, env.timeZone, step.weekdays);
  e.isWaiting = true;
  e.nextRunAt = until;
  appendLog(e, { at: env.now.toISOString(), step: step.id, type: step.type, outcome: 'waiting', detail: { until: until.toISOString() } });
}

function sendStep(e: Enrollment, step: Extract<Step, { type: 'send' }>, env: StepEnv): Effect {
  const key = effectKey(e, step.id);
  // The key finds the message later: the log keeps the outcome decided now, the ledger where it stands.
  const logIndex = appendLog(e, { at: env.now.toISOString(), step: step.id, type: 'send', outcome: 'pending', detail: { key } });
  const source = { kind: 'journey' as const, id: e.journeyId, version: e.version, step: step.id };
  if (e.groupId !== null) {
    return {
      kind: 'group_post',
      enrollmentId: e.id,
      logIndex,
      post: { idempotencyKey: key, groupId: e.groupId, content: step.content, template: step.templateId ? { id: step.templateId } : undefined, variables: step.variables, source },
    };
  }
  return {
    kind: 'send',
    enrollmentId: e.id,
    logIndex,
    request: {
      idempotencyKey: key,
      customerId: e.customerId!,
      channel: step.channel as SendRequest['channel'],
      template: step.templateId ? { id: step.templateId } : undefined,
      content: step.content,
      variables: step.variables,
      source,
    },
  };
}

function webhookStep(e: Enrollment, step: Extract<Step, { type: 'webhook' }>, env: StepEnv): Effect {
  const key = effectKey(e, step.id);
  const logIndex = appendLog(e, { at: env.now.toISOString(), step: step.id, type: 'webhook', outcome: 'pending', detail: { key } });
  const payload = {
    journeyId: e.journeyId,
    journey: env.journeyName,
    version: e.version,
    step: step.id,
    customerId: e.customerId,
    groupId: e.groupId,
    occurrence: e.occurrence,
    variant: e.variant,
    ...(step.payload ?? {}),
  };
  return {
    kind: 'send',
    enrollmentId: e.id,
    logIndex,
    // A webhook call is an integration, not marketing: it bypasses consent, caps and quiet hours.
    request: { idempotencyKey: key, customerId: e.customerId!, channel: 'webhook', purpose: 'transactional', payload, targetUrl: step.url, source: { kind: 'journey', id: e.journeyId, version: e.version, step: step.id } },
  };
}

function taskStep(e: Enrollment, step: Extract<Step, { type: 'task' }>, env: StepEnv): Effect {
  const a = step.assignee;
  const owner = a.type === 'owner' && e.customerId !== null ? env.ownerOf(e.customerId) : null;
  const assigneeUserId = a.type === 'user' ? a.userId : owner;
  const pool = assigneeUserId ? null : a.type === 'pool' ? a.pool : a.type === 'owner' ? (a.fallbackPool ?? 'default') : null;
  appendLog(e, { at: env.now.toISOString(), step: step.id, type: 'task', outcome: 'task', detail: { assigneeUserId, pool } });
  return {
    kind: 'task',
    task: {
      customerId: e.customerId,
      kind: step.kind,
      title: step.title,
      script: step.script ?? null,
      assigneeUserId,
      pool,
      dueAt: new Date(env.now.getTime() + step.dueInHours * HOUR_MS),
      source: { kind: 'journey', id: e.journeyId, version: e.version, step: step.id },
      sourceKey: effectKey(e, step.id),
    },
  };
}

/**
 * Runs the enrollment's current step. `branchMatch` is the branch condition's result for
 * this customer (the runner evaluates conditions for the whole batch at once).
 */
export function runStep(e: Enrollment, step: Step, env: StepEnv, branchMatch = false): Effect[] {
  const at = env.now.toISOString();
  e.lastStepAt = env.now;
  switch (step.type) {
    case 'wait':
    case 'wait_until':
      waitStep(e, step, env);
      return [];
    case 'branch': {
      appendLog(e, { at, step: step.id, type: 'branch', outcome: 'branched', detail: { matched: branchMatch } });
      goTo(e, branchMatch ? step.then : step.else, env.now);
      return [];
    }
    case 'split': {
      const variant = chooseVariant(step.variants, e.journeyId, e.customerId ?? e.groupId ?? e.id);
      e.variant = variant.key;
      appendLog(e, { at, step: step.id, type: 'split', outcome: 'split', detail: { variant: variant.key } });
      goTo(e, variant.next, env.now);
      return [];
    }
    case 'send': {
      const effect = sendStep(e, step, env);
      goTo(e, step.next, env.now);
      return [effect];
    }
    case 'webhook': {
      const effect = webhookStep(e, step, env);
      goTo(e, step.next, env.now);
      return [effect];
    }
    case 'tag': {
      appendLog(e, { at, step: step.id, type: 'tag', outcome: 'tagged', detail: { action: step.action, tagIds: step.tagIds } });
      const effects: Effect[] = e.customerId === null ? [] : step.tagIds.map((tagId) => ({ kind: 'tag', action: step.action, tagId, customerId: e.customerId! }));
      goTo(e, step.next, env.now);
      return effects;
    }
    case 'task': {
      const effect = taskStep(e, step, env);
      goTo(e, step.next, env.now);
      return [effect];
    }
  }
}
