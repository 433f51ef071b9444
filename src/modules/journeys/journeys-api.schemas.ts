/** HTTP contracts of journeys (zod only; the console imports these). The definition itself is in journeys.schemas.ts. */
import { z } from 'zod';
import { JourneyDefinitionSchema } from './journeys.schemas.ts';

export const JOURNEY_STATUSES = ['draft', 'active', 'paused', 'stopped'] as const;
export type JourneyStatus = (typeof JOURNEY_STATUSES)[number];

export const JourneyIdParamsSchema = z.strictObject({ journeyId: z.uuid() });
export const VersionParamsSchema = z.strictObject({ journeyId: z.uuid(), version: z.coerce.number().int().min(1).max(1_000_000) });
export const PlaybookParamsSchema = z.strictObject({ playbookKey: z.string().regex(/^[a-z][a-z0-9_]{1,60}$/) });
export const CustomerParamsSchema = z.strictObject({ customerId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export const IssueSchema = z.object({ field: z.string().optional(), reason: z.string(), message: z.string().optional() });
export type Issue = z.output<typeof IssueSchema>;

export const ListJourneysQuerySchema = z.strictObject({
  status: z.enum(JOURNEY_STATUSES).optional(),
  q: z.string().trim().min(1).max(100).optional().describe('Name contains'),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListJourneysQuery = z.output<typeof ListJourneysQuerySchema>;

export const CreateJourneyBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).optional(),
  definition: JourneyDefinitionSchema,
});
export type CreateJourneyBody = z.output<typeof CreateJourneyBodySchema>;

export const UpdateJourneyBodySchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(2000).nullable().optional(),
    definition: JourneyDefinitionSchema.optional(),
  })
  .refine((b) => b.name !== undefined || b.description !== undefined || b.definition !== undefined, { message: 'Nothing to change', path: ['definition'] });
export type UpdateJourneyBody = z.output<typeof UpdateJourneyBodySchema>;

export const JourneySummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  status: z.enum(JOURNEY_STATUSES),
  latestVersion: z.number().int(),
  liveVersion: z.number().int().nullable().describe('The version new entrants take'),
  playbook: z.string().nullable(),
  triggerType: z.string(),
  inFlight: z.number().int().describe('Customers (or groups) in the journey now'),
  nextFireAt: z.date().nullable(),
  activatedAt: z.date().nullable(),
  pausedAt: z.date().nullable(),
  stoppedAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

export const JourneySchema = JourneySummarySchema.extend({
  /** The latest version's definition. */
  definition: JourneyDefinitionSchema,
  /** What keeps the latest version from going live (empty when it may). */
  issues: z.array(IssueSchema),
});
export type JourneyView = z.output<typeof JourneySchema>;

export const JourneyPageSchema = z.object({ items: z.array(JourneySummarySchema), nextCursor: z.string().nullable() });

export const VersionSchema = z.object({
  version: z.number().int(),
  isLive: z.boolean(),
  activatedAt: z.date().nullable().describe('Set once the version went live; from then on it never changes'),
  createdBy: z.string().nullable(),
  createdAt: z.date(),
  definition: JourneyDefinitionSchema,
});
export const VersionListSchema = z.object({ items: z.array(VersionSchema) });

export const ValidateBodySchema = z.strictObject({ definition: z.unknown() });
export const ValidationResultSchema = z.object({ valid: z.boolean(), issues: z.array(IssueSchema) });

export const StopBodySchema = z.strictObject({ reason: z.string().trim().min(1).max(200).optional() });

export const EnrollBodySchema = z.strictObject({
  customerIds: z.array(z.number().int().positive().max(Number.MAX_SAFE_INTEGER)).min(1).max(1000),
  /** Names this entry (default: a new one each call); the same occurrence never enrolls a customer twice. */
  occurrence: z.string().trim().min(1).max(100).optional(),
});
export const EnrollResultSchema = z.object({ requested: z.number().int(), enrolled: z.number().int(), skipped: z.array(z.number().int()).describe('Already in the journey, kept out by the re-entry rule, unknown or merged away') });

export const LogEntrySchema = z.object({
  at: z.string(),
  step: z.string(),
  type: z.string(),
  outcome: z.string(),
  reason: z.string().nullable().optional(),
  detail: z.record(z.string(), z.unknown()).optional(),
});

export const ENROLLMENT_STATES = ['active', 'completed', 'exited'] as const;

export const EnrollmentSchema = z.object({
  id: z.number().int(),
  journeyId: z.string(),
  journeyName: z.string(),
  journeyStatus: z.enum(JOURNEY_STATUSES),
  version: z.number().int(),
  customerId: z.number().int().nullable(),
  groupId: z.string().nullable(),
  state: z.enum(ENROLLMENT_STATES),
  currentStep: z.string().nullable(),
  currentStepName: z.string().nullable(),
  isWaiting: z.boolean(),
  nextRunAt: z.date().nullable().describe('When the current step runs (a wait ends)'),
  variant: z.string().nullable(),
  trigger: z.record(z.string(), z.unknown()),
  enteredAt: z.date(),
  endedAt: z.date().nullable(),
  endReason: z.string().nullable(),
  convertedAt: z.date().nullable(),
  /** One line: where the customer is and why. */
  explanation: z.string(),
  log: z.array(LogEntrySchema),
});
export type EnrollmentView = z.output<typeof EnrollmentSchema>;
export const EnrollmentListSchema = z.object({ items: z.array(EnrollmentSchema), nextCursor: z.number().int().nullable() });

export const ListEnrollmentsQuerySchema = z.strictObject({
  state: z.enum(ENROLLMENT_STATES).optional(),
  step: z.string().max(40).optional().describe('Customers who reached this step'),
  variant: z.string().max(20).optional(),
  converted: z.enum(['true', 'false']).optional(),
  cursor: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListEnrollmentsQuery = z.output<typeof ListEnrollmentsQuerySchema>;

const CountSchema = z.object({ reason: z.string(), count: z.number().int() });

export const StepStatsSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  type: z.string(),
  entered: z.number().int().describe('Customers who reached the step (once each, loops included)'),
  waiting: z.number().int().describe('Waiting at this step now'),
  sent: z.number().int(),
  held: z.number().int().describe('Held for quiet hours or a rate window; released later'),
  queued: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int().describe('Held or queued messages withdrawn when the journey was stopped'),
  suppressed: z.array(CountSchema).describe('Not sent, by reason (opted out, capped, quota, template error, ad-law)'),
  tasks: z.object({ open: z.number().int(), done: z.number().int(), skipped: z.number().int(), outcomes: z.array(z.object({ outcome: z.string(), count: z.number().int() })) }),
  converted: z.number().int().describe('Of those who reached the step, how many reached the goal in its window'),
  conversionRate: z.number().nullable(),
});

export const VariantStatsSchema = z.object({
  key: z.string(),
  weight: z.number().int().nullable(),
  entered: z.number().int(),
  converted: z.number().int(),
  conversionRate: z.number().nullable(),
  isControl: z.boolean(),
  /** Against the control (the first variant): two-sided two-proportion z-test. */
  pValue: z.number().nullable(),
  confidence: z.number().nullable().describe('1 − pValue'),
  lift: z.number().nullable().describe('Relative change of the conversion rate over the control'),
});

export const StatsQuerySchema = z.strictObject({ version: z.coerce.number().int().min(1).optional() });

export const JourneyStatsSchema = z.object({
  journeyId: z.string(),
  version: z.number().int().nullable().describe('null: all versions'),
  totals: z.object({
    entered: z.number().int(),
    active: z.number().int(),
    waiting: z.number().int(),
    completed: z.number().int(),
    exited: z.number().int(),
    converted: z.number().int(),
    conversionRate: z.number().nullable(),
  }),
  exitReasons: z.array(CountSchema),
  steps: z.array(StepStatsSchema),
  variants: z.array(VariantStatsSchema),
  goal: z.object({ eventType: z.string(), withinDays: z.number().int() }).nullable(),
  confidenceMethod: z.string(),
});
export type JourneyStats = z.output<typeof JourneyStatsSchema>;

export const PlaybookSchema = z.object({
  key: z.string(),
  category: z.enum(['lifecycle', 'group_sop']),
  name: z.object({ zh: z.string(), en: z.string() }),
  description: z.object({ zh: z.string(), en: z.string() }),
  definition: JourneyDefinitionSchema,
});
export const PlaybookListSchema = z.object({ items: z.array(PlaybookSchema) });
export const FromPlaybookBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  /** Also activate it (the one-action enable); refused with the issues if it is not ready. */
  activate: z.boolean().default(false),
  /** Group SOPs: the groups to post to (fills `trigger.audience.groupIds`). */
  groupIds: z.array(z.string().trim().min(1).max(200)).min(1).max(1000).optional().describe('Group SOP playbooks: the groups to post to (WeCom chat ids)'),
});
