/** Validates one incoming event on its own, so one bad event never rejects its batch. Pure. */
import { normalizeIdentity, type Identity, type IdentityTypeDef, type ProfileTraits } from '../customers/index.ts';
import { issuesToDetails } from '../../platform/validation.ts';
import { eventTypeSchema } from './event-types.ts';
import { EventInputSchema, type EventOutcome } from './events.schemas.ts';

export interface ValidEvent {
  index: number;
  clientId: string;
  type: string;
  at: Date;
  identities: Identity[];
  properties: Record<string, unknown>;
  profile: ProfileTraits | undefined;
}

const MAX_PROPERTIES_BYTES = 16 * 1024;
const EARLIEST = Date.UTC(2000, 0, 1);
const MAX_FUTURE_MS = 24 * 3600_000;

export type Rejection = EventOutcome & { status: 'rejected'; field: string; reason: string; message: string };
const reject = (index: number, id: string | null, field: string, reason: string, message: string): Rejection => ({ index, id, status: 'rejected', field, reason, message });

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** Parses ISO 8601 with an offset, refusing impossible calendar dates (2025-02-30). */
export function parseInstant(text: string): Date | null {
  const m = ISO_RE.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const calendar = new Date(Date.UTC(y, mo - 1, d));
  if (calendar.getUTCFullYear() !== y || calendar.getUTCMonth() !== mo - 1 || calendar.getUTCDate() !== d) return null;
  const at = new Date(text);
  return Number.isNaN(at.getTime()) ? null : at;
}

export function validateEvent(raw: unknown, index: number, types: ReadonlyMap<string, IdentityTypeDef>, now: Date): ValidEvent | Rejection {
  const prefix = `events[${index}].`;
  const rawId = raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : null;
  const parsed = EventInputSchema.safeParse(raw);
  if (!parsed.success) {
    const d = issuesToDetails(parsed.error.issues, prefix)[0]!;
    return reject(index, rawId, d.field ?? prefix.slice(0, -1), d.reason, d.message ?? 'Invalid value');
  }
  const e = parsed.data;
  const typeCheck = eventTypeSchema(e.type);
  if (!typeCheck.ok) return reject(index, e.id, `${prefix}type`, typeCheck.reason, typeCheck.message);
  const at = parseInstant(e.occurredAt);
  if (!at) return reject(index, e.id, `${prefix}occurredAt`, 'invalid_date', 'Not a real date and time');
  if (at.getTime() < EARLIEST) return reject(index, e.id, `${prefix}occurredAt`, 'too_old', 'Events before 2000 are not accepted');
  if (at.getTime() > now.getTime() + MAX_FUTURE_MS) return reject(index, e.id, `${prefix}occurredAt`, 'in_future', 'The event is more than a day in the future');
  const props = typeCheck.schema.safeParse(e.properties ?? {});
  if (!props.success) {
    const d = issuesToDetails(props.error.issues, `${prefix}properties.`)[0]!;
    return reject(index, e.id, d.field ?? `${prefix}properties`, d.reason, d.message ?? 'Invalid value');
  }
  if (JSON.stringify(props.data).length > MAX_PROPERTIES_BYTES) return reject(index, e.id, `${prefix}properties`, 'too_large', 'Properties exceed 16 KB');
  const identities: Identity[] = [];
  for (const [i, input] of e.identities.entries()) {
    const n = normalizeIdentity(input, types);
    if (!n.ok) return reject(index, e.id, `${prefix}identities[${i}].${n.field}`, n.reason, n.message);
    identities.push(n.identity);
  }
  return { index, clientId: e.id, type: e.type, at, identities, properties: props.data as Record<string, unknown>, profile: e.profile };
}
