/**
 * Journey definitions (zod only; the console's flow editor imports these).
 *
 * A definition is a trigger, a graph of steps (ids + next pointers; `start` names the first
 * step, default the first in the list), a re-entry rule, exit rules and an optional goal.
 * The shape is checked here; the graph rules (unknown next, unreachable steps, cycles without
 * a wait, split weights, unknown templates) are checked by `definitionIssues`
 * (journey-validation.ts) and reported as `steps[3].next: unknown step "s9"`.
 *
 * Times of day are "HH:mm" in the workspace time zone (workspaces.time_zone, default
 * Asia/Shanghai). Every step may carry `name` (a label) and `ui` (canvas position), which the
 * engine ignores.
 */
import { z } from 'zod';
import { PropertyFilterSchema, RuleSchema, type PropertyFilter, type Rule } from '../segments/segments.schemas.ts';

export const STEP_ID_RE = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;
const StepIdSchema = z.string().regex(STEP_ID_RE, 'A step id: a letter, then letters, digits, _ or - (at most 40)');
/** A pointer to the next step; null (or absent) ends the journey for the customer. */
const NextSchema = StepIdSchema.nullable().optional();
const LocalTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'A local time of day, HH:mm');
const EventTypeSchema = z.string().min(1).max(80).regex(/^[a-z][a-z0-9_.-]*$/, 'An event type, e.g. order.paid or custom.viewed_price_drop');

// ---------------------------------------------------------------------------------------------
// Conditions: the segment rule language (docs/segments.md), so a branch, an exit rule or a
// schedule audience says "who" exactly as a segment does and the console reuses its rule editor.

/**
 * A condition over one customer (branch steps, "everyone matching" audiences, exit rules): a
 * segment rule tree, e.g. `{ "type": "order_stat", "metric": "paid_order_count", "op": "gte", "value": 1 }`
 * or `{ "type": "and", "children": [ … ] }`.
 */
export const ConditionSchema = RuleSchema;
export type Condition = Rule;

/**
 * An event property filter (same as segment rules'): `property` is a name, dotted for nested
 * objects; `exists`/`not_exists` take no value, `in`/`not_in` take a list.
 */
export { PropertyFilterSchema, type PropertyFilter };

// ---------------------------------------------------------------------------------------------
// Triggers

/** Who a schedule fires for. */
export const AudienceSchema = z.discriminatedUnion('type', [
  /** Every current member of a segment. */
  z.strictObject({ type: z.literal('segment'), segmentId: z.uuid() }),
  /** Every customer matching a condition. */
  z.strictObject({ type: z.literal('condition'), condition: ConditionSchema }),
  /** Groups (group SOPs): one run per group per fire; steps address the group, not customers. */
  z.strictObject({ type: z.literal('groups'), groupIds: z.array(z.string().min(1).max(200)).max(1000) }),
]);
export type Audience = z.output<typeof AudienceSchema>;

export const TriggerSchema = z.discriminatedUnion('type', [
  /**
   * An event of `eventType` whose properties match every filter (from the customers.changed
   * feed). One entry per event: the occurrence is the event id.
   */
  z.strictObject({ type: z.literal('event'), eventType: EventTypeSchema, filters: z.array(PropertyFilterSchema).max(20).optional() }),
  /** Entering or leaving a segment (segments.membership_changed). */
  z.strictObject({ type: z.literal('segment'), segmentId: z.uuid(), change: z.enum(['entered', 'exited']) }),
  /**
   * A five-field cron (minute hour day-of-month month day-of-week) in the workspace time zone,
   * for an audience. A fire missed while no worker ran is made up only within 60 minutes.
   */
  z.strictObject({ type: z.literal('schedule'), cron: z.string().min(9).max(100), audience: AudienceSchema }),
  /**
   * A yearly date attribute at a local time: `birthday` (customers.birthday) or a custom
   * attribute of type date. `offsetDays` -3 fires three days before. A 29 February date fires
   * on 28 February in non-leap years. Occurrence: the year.
   */
  z.strictObject({
    type: z.literal('date'),
    attribute: z.union([z.literal('birthday'), z.string().regex(/^attributes\.[a-z][a-z0-9_]{0,40}$/)]),
    at: LocalTimeSchema,
    offsetDays: z.number().int().min(-60).max(60).optional(),
  }),
  /** `days` calendar days after customers.joined_at (in the workspace time zone), at a local time. */
  z.strictObject({ type: z.literal('joined'), days: z.number().int().min(0).max(3650), at: LocalTimeSchema }),
  /** Only manual enrolment (API, CLI, tests). */
  z.strictObject({ type: z.literal('manual') }),
]);
export type Trigger = z.output<typeof TriggerSchema>;

// ---------------------------------------------------------------------------------------------
// Steps

const StepBase = {
  id: StepIdSchema,
  /** A label for people. */
  name: z.string().max(100).optional(),
  /** Canvas position and other editor state; ignored by the engine. */
  ui: z.record(z.string(), z.unknown()).optional(),
};

export const DurationSchema = z
  .strictObject({
    days: z.number().int().min(0).max(3650).optional(),
    hours: z.number().int().min(0).max(10_000).optional(),
    minutes: z.number().int().min(0).max(100_000).optional(),
  })
  .refine((d) => (d.days ?? 0) + (d.hours ?? 0) + (d.minutes ?? 0) > 0, { message: 'A wait lasts at least one minute', params: { reason: 'wait_too_short' } });
export type Duration = z.output<typeof DurationSchema>;

/** A task pool's name, as the task inbox filters by it (no spaces or commas). */
const PoolNameSchema = z.string().min(1).max(60).regex(/^[^\s,]+$/, 'A pool name without spaces or commas');

/** Who an operator task goes to. */
export const AssigneeSchema = z.discriminatedUnion('type', [
  /** The customer's owner advisor (customers.owner_user_id); without one, the pool `fallbackPool`. */
  z.strictObject({ type: z.literal('owner'), fallbackPool: PoolNameSchema.optional() }),
  /** A named pool any advisor may take tasks from (e.g. "advisors"). */
  z.strictObject({ type: z.literal('pool'), pool: PoolNameSchema }),
  /** A given member. */
  z.strictObject({ type: z.literal('user'), userId: z.uuid() }),
]);
export type Assignee = z.output<typeof AssigneeSchema>;

export const StepSchema = z.discriminatedUnion('type', [
  /** Wait a duration, then go on. */
  z.strictObject({ ...StepBase, type: z.literal('wait'), duration: DurationSchema, next: NextSchema }),
  /**
   * Wait until the next `time` (HH:mm, workspace time zone) strictly after arriving, optionally
   * only on some weekdays (1 = Monday … 7 = Sunday).
   */
  z.strictObject({
    ...StepBase,
    type: z.literal('wait_until'),
    time: LocalTimeSchema,
    weekdays: z.array(z.number().int().min(1).max(7)).min(1).max(7).optional(),
    next: NextSchema,
  }),
  /** Go to `then` when the condition holds, else to `else` (null ends). */
  z.strictObject({ ...StepBase, type: z.literal('branch'), condition: ConditionSchema, then: NextSchema, else: NextSchema }),
  /**
   * A/B split: each customer gets one variant, chosen deterministically from a hash of the
   * journey id and the customer id, with probability weight / sum of weights (which must be 100).
   * The first variant is the control for the confidence figure.
   */
  z.strictObject({
    ...StepBase,
    type: z.literal('split'),
    variants: z
      .array(z.strictObject({ key: z.string().regex(/^[A-Za-z0-9_-]{1,20}$/), weight: z.number().int().min(0).max(100), next: NextSchema }))
      .min(2)
      .max(10),
  }),
  /**
   * Send a message through the messaging service (consent, caps, quiet hours, quotas, template,
   * advertising-law check, ledger). `templateId` names a messaging template, or `content`
   * gives the text inline; `variables` adds to the customer's own (nickname, ...). Channel
   * `group` posts to the groups of a group SOP.
   */
  z
    .strictObject({
      ...StepBase,
      type: z.literal('send'),
      channel: z.string().min(1).max(40),
      templateId: z.uuid().optional(),
      content: z.strictObject({ title: z.string().max(200).optional(), text: z.string().min(1).max(5000) }).optional(),
      variables: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,40}$/), z.string().max(2000)).optional(),
      next: NextSchema,
    })
    .refine((s) => !!s.templateId !== !!s.content, { message: 'Give templateId or content, not both', path: ['templateId'], params: { reason: 'template_or_content' } }),
  /** Add or remove tags (tags module). */
  z.strictObject({ ...StepBase, type: z.literal('tag'), action: z.enum(['add', 'remove']), tagIds: z.array(z.uuid()).min(1).max(50), next: NextSchema }),
  /**
   * Hand the customer to a person: an operator task (1-on-1 private chat, call back) with a
   * due time and a script suggestion, in the assignee's inbox.
   */
  z.strictObject({
    ...StepBase,
    type: z.literal('task'),
    kind: z.enum(['private_chat', 'call_back', 'follow_up']),
    title: z.string().min(1).max(200),
    script: z.string().max(5000).optional(),
    assignee: AssigneeSchema,
    dueInHours: z.number().min(0).max(24 * 90),
    next: NextSchema,
  }),
  /** Call a webhook (signed, retried; through the messaging webhook driver). */
  z.strictObject({
    ...StepBase,
    type: z.literal('webhook'),
    url: z.url({ protocol: /^https?$/ }).max(2000),
    payload: z.record(z.string(), z.unknown()).optional(),
    next: NextSchema,
  }),
]);
export type Step = z.output<typeof StepSchema>;
export type StepType = Step['type'];

// ---------------------------------------------------------------------------------------------
// Re-entry, exits, goal

/** Whether a customer may enter again: never, after N days since the last entry, or always (never twice at once). */
export const ReentrySchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('never') }),
  z.strictObject({ mode: z.literal('after_days'), days: z.number().int().min(1).max(3650) }),
  z.strictObject({ mode: z.literal('always') }),
]);

/** Leaves the journey (with this reason) at once, whatever step the customer is on. */
export const ExitRuleSchema = z.discriminatedUnion('type', [
  /** An event after entering, e.g. order.paid. */
  z.strictObject({ type: z.literal('event'), eventType: EventTypeSchema, filters: z.array(PropertyFilterSchema).max(20).optional() }),
  /** Leaving a segment (default: the trigger's segment). */
  z.strictObject({ type: z.literal('left_segment'), segmentId: z.uuid().optional() }),
  /** The customer opted out of marketing (consent denied). */
  z.strictObject({ type: z.literal('opted_out') }),
  /** A condition that holds when a step is about to run. */
  z.strictObject({ type: z.literal('condition'), condition: ConditionSchema }),
]);
export type ExitRule = z.output<typeof ExitRuleSchema>;

/**
 * The journey's goal: an event (default order.paid) within `withinDays` of entering. Conversion
 * is attributed to the variant and to every step the customer reached.
 */
export const GoalSchema = z.strictObject({
  eventType: EventTypeSchema.default('order.paid'),
  filters: z.array(PropertyFilterSchema).max(20).optional(),
  withinDays: z.number().int().min(1).max(365),
});
export type Goal = z.output<typeof GoalSchema>;

export const JourneyDefinitionSchema = z.strictObject({
  trigger: TriggerSchema,
  /** The first step; default the first in `steps`. */
  start: StepIdSchema.optional(),
  steps: z.array(StepSchema).min(1).max(200),
  reentry: ReentrySchema.default({ mode: 'never' }),
  exits: z.array(ExitRuleSchema).max(20).default([]),
  goal: GoalSchema.nullable().default(null),
  /** Editor state for the whole canvas; ignored by the engine. */
  ui: z.record(z.string(), z.unknown()).optional(),
});
export type JourneyDefinition = z.output<typeof JourneyDefinitionSchema>;
export type JourneyDefinitionInput = z.input<typeof JourneyDefinitionSchema>;
