/** HTTP contracts of operator tasks (zod only; the console's task inbox imports these). */
import { z } from 'zod';

export const TASK_KINDS = ['private_chat', 'call_back', 'follow_up', 'other'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];
export const TASK_STATUSES = ['open', 'done', 'skipped'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
/** What came of a task: reached the customer, no answer, the customer bought, not interested, other. */
export const TASK_OUTCOMES = ['reached', 'no_answer', 'converted', 'not_interested', 'other'] as const;
export type TaskOutcome = (typeof TASK_OUTCOMES)[number];
export const TASK_SOURCES = ['journey', 'campaign', 'manual'] as const;
export type TaskSourceKind = (typeof TASK_SOURCES)[number];

const PoolSchema = z.string().trim().min(1).max(60).regex(/^[^\s,]+$/, 'A pool name without spaces or commas');

export const TaskIdParamsSchema = z.strictObject({ taskId: z.uuid() });

export const ListTasksQuerySchema = z.strictObject({
  assignee: z
    .union([z.literal('me'), z.literal('unassigned'), z.uuid()])
    .optional()
    .describe('me (the signed-in member), unassigned (pool tasks nobody took), or a member id'),
  pool: PoolSchema.optional(),
  status: z.enum([...TASK_STATUSES, 'all']).default('open'),
  due: z.enum(['overdue', 'today', 'next_7_days']).optional().describe('Calendar days of the workspace time zone'),
  customerId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  sourceKind: z.enum(TASK_SOURCES).optional(),
  sourceId: z.string().max(100).optional().describe('e.g. the journey id'),
  sourceStep: z.string().max(40).optional(),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListTasksQuery = z.output<typeof ListTasksQuerySchema>;

export const CountsQuerySchema = ListTasksQuerySchema.pick({ assignee: true, pool: true });
export type CountsQuery = z.output<typeof CountsQuerySchema>;

export const TaskSchema = z.object({
  id: z.string(),
  customerId: z.number().int().nullable(),
  customerName: z.string().nullable(),
  kind: z.enum(TASK_KINDS),
  title: z.string(),
  script: z.string().nullable().describe('A suggestion of what to say'),
  assigneeUserId: z.string().nullable(),
  pool: z.string().nullable(),
  dueAt: z.date(),
  isOverdue: z.boolean(),
  status: z.enum(TASK_STATUSES),
  outcome: z.enum(TASK_OUTCOMES).nullable(),
  note: z.string().nullable(),
  source: z.object({ kind: z.enum(TASK_SOURCES), id: z.string().nullable(), version: z.number().int().nullable(), step: z.string().nullable() }),
  createdAt: z.date(),
  completedAt: z.date().nullable(),
  completedBy: z.string().nullable(),
});
export type TaskView = z.output<typeof TaskSchema>;

export const TaskPageSchema = z.object({ items: z.array(TaskSchema), nextCursor: z.string().nullable() });

export const TaskCountsSchema = z.object({
  open: z.number().int(),
  overdue: z.number().int(),
  dueToday: z.number().int(),
  completedToday: z.number().int(),
  /** Open tasks nobody took, per pool. */
  pools: z.array(z.object({ pool: z.string(), open: z.number().int() })),
});
export type TaskCounts = z.output<typeof TaskCountsSchema>;

export const CreateTaskBodySchema = z
  .strictObject({
    customerId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
    kind: z.enum(TASK_KINDS),
    title: z.string().trim().min(1).max(200),
    script: z.string().max(5000).optional(),
    assigneeUserId: z.uuid().optional(),
    pool: PoolSchema.optional(),
    dueAt: z.iso.datetime({ offset: true }),
  })
  .refine((b) => !!b.assigneeUserId !== !!b.pool, { message: 'Give assigneeUserId or pool, not both', path: ['assigneeUserId'] });
export type CreateTaskBody = z.output<typeof CreateTaskBodySchema>;

export const CompleteTaskBodySchema = z
  .strictObject({
    status: z.enum(['done', 'skipped']),
    outcome: z.enum(TASK_OUTCOMES).optional(),
    note: z.string().trim().max(2000).optional(),
  })
  .refine((b) => b.status === 'skipped' || !!b.outcome, { message: 'A done task needs an outcome', path: ['outcome'] });
export type CompleteTaskBody = z.output<typeof CompleteTaskBodySchema>;

export const AssignTaskBodySchema = z
  .strictObject({
    assigneeUserId: z.union([z.literal('me'), z.uuid()]).optional().describe('me takes the task'),
    pool: PoolSchema.optional(),
  })
  .refine((b) => !!b.assigneeUserId !== !!b.pool, { message: 'Give assigneeUserId or pool, not both', path: ['assigneeUserId'] });
export type AssignTaskBody = z.output<typeof AssignTaskBodySchema>;
