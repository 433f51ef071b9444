/** Shapes of the tasks API as the console reads them (src/modules/tasks/tasks.schemas.ts). */
export const TASK_KINDS = ['private_chat', 'call_back', 'follow_up', 'other'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];
export const TASK_STATUSES = ['open', 'done', 'skipped'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const TASK_OUTCOMES = ['reached', 'no_answer', 'converted', 'not_interested', 'other'] as const;
export type TaskOutcome = (typeof TASK_OUTCOMES)[number];
export const DUE_FILTERS = ['overdue', 'today', 'next_7_days'] as const;
export type DueFilter = (typeof DUE_FILTERS)[number];

export interface Task {
  id: string;
  customerId: number | null;
  customerName: string | null;
  kind: TaskKind;
  title: string;
  script: string | null;
  assigneeUserId: string | null;
  pool: string | null;
  dueAt: string;
  isOverdue: boolean;
  status: TaskStatus;
  outcome: TaskOutcome | null;
  note: string | null;
  source: { kind: 'journey' | 'campaign' | 'manual'; id: string | null; version: number | null; step: string | null };
  createdAt: string;
  completedAt: string | null;
  completedBy: string | null;
}

export interface TaskPage {
  items: Task[];
  nextCursor: string | null;
}

export interface TaskCounts {
  open: number;
  overdue: number;
  dueToday: number;
  completedToday: number;
  pools: { pool: string; open: number }[];
}

export interface TaskQuery {
  assignee?: 'me' | 'unassigned' | undefined;
  pool?: string | undefined;
  status: TaskStatus | 'all';
  due?: DueFilter | undefined;
}

export interface CompleteBody {
  status: 'done' | 'skipped';
  outcome?: TaskOutcome;
  note?: string;
}
