import { z } from 'zod';

export const MAX_EVENTS_PER_BATCH = 1000;

export const IdentityInputSchema = z.strictObject({
  type: z.string().min(1).max(60),
  value: z.string().min(1).max(200),
  scope: z.string().max(100).optional(),
  verified: z.boolean().optional(),
});

const isRealDate = (s: string) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};

export const ProfileTraitsSchema = z.strictObject({
  name: z.string().trim().max(100).optional(),
  nickname: z.string().trim().max(100).optional(),
  gender: z.enum(['male', 'female', 'unknown']).optional(),
  birthday: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use YYYY-MM-DD').refine(isRealDate, 'Not a real date').optional(),
  province: z.string().trim().max(50).optional(),
  city: z.string().trim().max(50).optional(),
  consent: z.enum(['granted', 'denied']).optional(),
  sourceChannel: z.string().trim().max(100).optional(),
  sourceLure: z.string().trim().max(100).optional(),
});

/** One event as sent by an integrator. */
export const EventInputSchema = z.strictObject({
  id: z.string().min(1).max(200).describe('Your idempotency key: the same id twice is stored once'),
  type: z.string().min(1).max(100),
  occurredAt: z.iso.datetime({ offset: true }).describe('ISO 8601 with an offset, e.g. 2025-03-01T10:00:00+08:00'),
  identities: z.array(IdentityInputSchema).min(1).max(20),
  properties: z.record(z.string(), z.unknown()).optional(),
  profile: ProfileTraitsSchema.optional(),
});
export type EventInput = z.output<typeof EventInputSchema>;

export const IngestBodySchema = z.strictObject({
  events: z.array(z.record(z.string(), z.unknown())).min(1).describe(`Up to ${MAX_EVENTS_PER_BATCH} events; each is validated on its own`),
});

export const EventOutcomeSchema = z.object({
  index: z.number().int(),
  id: z.string().nullable(),
  status: z.enum(['accepted', 'duplicate', 'rejected']),
  customerId: z.number().int().optional(),
  field: z.string().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type EventOutcome = z.output<typeof EventOutcomeSchema>;

export const IngestResultSchema = z.object({
  accepted: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.number().int(),
  results: z.array(EventOutcomeSchema),
});
export type IngestResult = z.output<typeof IngestResultSchema>;
