/**
 * What messaging reads of customers, through the views declared for it
 * (messaging_recipients, messaging_consents): one query each per batch.
 */
import { sql } from 'kysely';
import type { ConsentDecisions, Recipient } from './guard-rails.ts';
import type { Executor } from './messaging.deps.ts';

interface RecipientRow {
  asked: number;
  id: number;
  name: string | null;
  nickname: string | null;
  city: string | null;
  province: string | null;
  mobile: string | null;
  consent_status: string;
  attributes: Record<string, unknown> | null;
}

/**
 * Recipients by the ids asked for; an id merged into another resolves to its survivor
 * (following the chain), so a message never goes to a merged-away record.
 */
export async function loadRecipients(db: Executor, workspaceId: string, ids: readonly number[]): Promise<Map<number, Recipient>> {
  if (!ids.length) return new Map();
  const { rows } = await sql<RecipientRow>`
    with recursive chain(asked, id, merged_into, depth) as (
      select r.id, r.id, r.merged_into, 0 from messaging_recipients r
      where r.workspace_id = ${workspaceId} and r.id = any(${ids}::bigint[])
      union all
      select c.asked, r.id, r.merged_into, c.depth + 1 from chain c
      join messaging_recipients r on r.workspace_id = ${workspaceId} and r.id = c.merged_into
      where c.depth < 20
    )
    select c.asked, r.id, r.name, r.nickname, r.city, r.province, r.mobile, r.consent_status, r.attributes
    from chain c join messaging_recipients r on r.workspace_id = ${workspaceId} and r.id = c.id
    where c.merged_into is null`.execute(db);
  return new Map(
    rows.map((r) => [
      Number(r.asked),
      { id: Number(r.id), name: r.name, nickname: r.nickname, city: r.city, province: r.province, mobile: r.mobile, consentStatus: r.consent_status, attributes: r.attributes },
    ]),
  );
}

/** The latest consent decision per customer, purpose and channel. */
export async function loadConsents(db: Executor, workspaceId: string, customerIds: readonly number[]): Promise<Map<number, ConsentDecisions>> {
  const out = new Map<number, Map<string, 'granted' | 'denied'>>();
  if (!customerIds.length) return out;
  const { rows } = await sql<{ customer_id: number; purpose: string; channel: string; status: 'granted' | 'denied' }>`
    select distinct on (customer_id, purpose, channel) customer_id, purpose, channel, status
    from messaging_consents
    where workspace_id = ${workspaceId} and customer_id = any(${customerIds}::bigint[])
    order by customer_id, purpose, channel, recorded_at desc, id desc`.execute(db);
  for (const r of rows) {
    const id = Number(r.customer_id);
    let m = out.get(id);
    if (!m) out.set(id, (m = new Map()));
    m.set(`${r.purpose}:${r.channel}`, r.status);
  }
  return out;
}
