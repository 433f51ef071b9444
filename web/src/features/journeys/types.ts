/**
 * Journey shapes as the console edits and reads them (the server's contracts are
 * src/modules/journeys/journeys.schemas.ts and journeys-api.schemas.ts; dates arrive as ISO strings).
 */
import type { PropertyFilter, Rule } from '../segments/rule/types.ts';

export const JOURNEY_STATUSES = ['draft', 'active', 'paused', 'stopped'] as const;
export type JourneyStatus = (typeof JOURNEY_STATUSES)[number];

export const TRIGGER_TYPES = ['event', 'segment', 'schedule', 'date', 'joined', 'manual'] as const;
export type TriggerType = (typeof TRIGGER_TYPES)[number];

export const STEP_TYPES = ['send', 'wait', 'wait_until', 'branch', 'split', 'tag', 'task', 'webhook'] as const;
export type StepType = (typeof STEP_TYPES)[number];

/** Channels a send step may use (the messaging module's CHANNELS). */
export const CHANNELS = ['wecom', 'sms', 'official_account', 'webhook'] as const;
export const TASK_KINDS = ['private_chat', 'call_back', 'follow_up'] as const;

export type Audience =
  | { type: 'segment'; segmentId: string }
  | { type: 'condition'; condition: Rule }
  | { type: 'groups'; groupIds: string[] };

export type Trigger =
  | { type: 'event'; eventType: string; filters?: PropertyFilter[] }
  | { type: 'segment'; segmentId: string; change: 'entered' | 'exited' }
  | { type: 'schedule'; cron: string; audience: Audience }
  | { type: 'date'; attribute: string; at: string; offsetDays?: number }
  | { type: 'joined'; days: number; at: string }
  | { type: 'manual' };

export interface Duration {
  days?: number;
  hours?: number;
  minutes?: number;
}

export type Assignee = { type: 'owner'; fallbackPool?: string } | { type: 'pool'; pool: string } | { type: 'user'; userId: string };

/** Canvas position; the engine ignores it. */
export interface StepUi {
  x?: number;
  y?: number;
  [key: string]: unknown;
}

interface StepBase {
  id: string;
  name?: string;
  ui?: StepUi;
}

type Next = string | null | undefined;

export interface Variant {
  key: string;
  weight: number;
  next?: Next;
}

export type Step = StepBase &
  (
    | { type: 'wait'; duration: Duration; next?: Next }
    | { type: 'wait_until'; time: string; weekdays?: number[]; next?: Next }
    | { type: 'branch'; condition: Rule; then?: Next; else?: Next }
    | { type: 'split'; variants: Variant[] }
    | { type: 'send'; channel: string; templateId?: string; content?: { title?: string; text: string }; variables?: Record<string, string>; next?: Next }
    | { type: 'tag'; action: 'add' | 'remove'; tagIds: string[]; next?: Next }
    | { type: 'task'; kind: (typeof TASK_KINDS)[number]; title: string; script?: string; assignee: Assignee; dueInHours: number; next?: Next }
    | { type: 'webhook'; url: string; payload?: Record<string, unknown>; next?: Next }
  );

export type Reentry = { mode: 'never' } | { mode: 'after_days'; days: number } | { mode: 'always' };

export type ExitRule =
  | { type: 'event'; eventType: string; filters?: PropertyFilter[] }
  | { type: 'left_segment'; segmentId?: string }
  | { type: 'opted_out' }
  | { type: 'condition'; condition: Rule };

export interface Goal {
  eventType: string;
  filters?: PropertyFilter[];
  withinDays: number;
}

export interface JourneyDefinition {
  trigger: Trigger;
  start?: string;
  steps: Step[];
  reentry: Reentry;
  exits: ExitRule[];
  goal: Goal | null;
  ui?: Record<string, unknown>;
}

export interface Issue {
  field?: string;
  reason: string;
  message?: string;
}

export interface JourneySummary {
  id: string;
  name: string;
  description: string | null;
  status: JourneyStatus;
  latestVersion: number;
  liveVersion: number | null;
  playbook: string | null;
  triggerType: TriggerType;
  inFlight: number;
  nextFireAt: string | null;
  activatedAt: string | null;
  pausedAt: string | null;
  stoppedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Journey extends JourneySummary {
  definition: JourneyDefinition;
  issues: Issue[];
}

export interface JourneyVersion {
  version: number;
  isLive: boolean;
  activatedAt: string | null;
  createdBy: string | null;
  createdAt: string;
  definition: JourneyDefinition;
}

export interface ValidationResult {
  valid: boolean;
  issues: Issue[];
}

export interface ReasonCount {
  reason: string;
  count: number;
}

export interface StepStats {
  id: string;
  name: string | null;
  type: string;
  entered: number;
  waiting: number;
  sent: number;
  held: number;
  queued: number;
  failed: number;
  suppressed: ReasonCount[];
  tasks: { open: number; done: number; skipped: number; outcomes: { outcome: string; count: number }[] };
  converted: number;
  conversionRate: number | null;
}

export interface VariantStats {
  key: string;
  weight: number | null;
  entered: number;
  converted: number;
  conversionRate: number | null;
  isControl: boolean;
  pValue: number | null;
  confidence: number | null;
  lift: number | null;
}

export interface JourneyStats {
  journeyId: string;
  version: number | null;
  totals: { entered: number; active: number; waiting: number; completed: number; exited: number; converted: number; conversionRate: number | null };
  exitReasons: ReasonCount[];
  steps: StepStats[];
  variants: VariantStats[];
  goal: { eventType: string; withinDays: number } | null;
  confidenceMethod: string;
}

export const ENROLLMENT_STATES = ['active', 'completed', 'exited'] as const;
export type EnrollmentState = (typeof ENROLLMENT_STATES)[number];

export interface Enrollment {
  id: number;
  journeyId: string;
  version: number;
  customerId: number | null;
  groupId: string | null;
  state: EnrollmentState;
  currentStep: string | null;
  currentStepName: string | null;
  isWaiting: boolean;
  nextRunAt: string | null;
  variant: string | null;
  enteredAt: string;
  endedAt: string | null;
  endReason: string | null;
  convertedAt: string | null;
  explanation: string;
}

export interface Playbook {
  key: string;
  category: 'lifecycle' | 'group_sop';
  name: { zh: string; en: string };
  description: { zh: string; en: string };
  definition: JourneyDefinition;
}

export interface MessageTemplate {
  id: string;
  name: string;
  channel: string;
  archived: boolean;
}

export interface SegmentOption {
  id: string;
  name: string;
}
