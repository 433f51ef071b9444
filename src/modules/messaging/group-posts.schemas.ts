/** HTTP contracts of the group post ledger (zod only; the console imports these). */
import { z } from 'zod';
import { SOURCE_KINDS } from './message-types.ts';
import { AdLawResultSchema } from './messaging.schemas.ts';

export const GROUP_POST_STATUSES = ['sent', 'held', 'suppressed', 'cancelled'] as const;
export const GROUP_POST_REASONS = ['quiet_hours', 'template_error', 'adlaw_blocked', 'cancelled'] as const;

export const GroupPostViewSchema = z.object({
  id: z.string(),
  idempotencyKey: z.string(),
  groupId: z.string(),
  channel: z.string(),
  driver: z.string(),
  source: z.object({ kind: z.string(), id: z.string().nullable(), version: z.number().int().nullable(), step: z.string().nullable() }),
  templateId: z.string().nullable(),
  templateVersion: z.number().int().nullable(),
  title: z.string().nullable(),
  body: z.string().nullable(),
  status: z.enum(GROUP_POST_STATUSES),
  reason: z.string().nullable(),
  reasonDetail: z.unknown(),
  adlawWarnings: AdLawResultSchema.shape.findings.nullable(),
  releaseAt: z.date().nullable(),
  sentAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type GroupPostView = z.output<typeof GroupPostViewSchema>;

export const GroupPostPageSchema = z.object({ items: z.array(GroupPostViewSchema), nextCursor: z.string().nullable() });

export const ListGroupPostsQuerySchema = z.strictObject({
  status: z.enum(GROUP_POST_STATUSES).optional(),
  reason: z.enum(GROUP_POST_REASONS).optional(),
  groupId: z.string().min(1).max(200).optional(),
  sourceKind: z.enum(SOURCE_KINDS).optional(),
  sourceId: z.string().min(1).max(200).optional(),
  since: z.iso.datetime({ offset: true }).optional().describe('Only posts recorded at or after this instant (ISO 8601 with an offset)'),
  until: z.iso.datetime({ offset: true }).optional().describe('Only posts recorded before this instant'),
  cursor: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListGroupPostsQuery = z.output<typeof ListGroupPostsQuerySchema>;
