/**
 * SQL of the demo loaders. The bulk path writes the customers/events/orders tables directly (the
 * point of it is to skip per-row work at benchmark scale); the service path only uses the
 * set-based owner/attribute step and the progress markers below.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import copyStreams from 'pg-copy-streams';
import pg from 'pg';
import type { Database } from '../../platform/db/database.ts';
import type { Db } from '../../platform/db/pool.ts';
import type { IdBlock } from './bulk-rows.ts';
import type { CopyBuffer } from './copy-buffer.ts';

const SEQUENCES = {
  customers: 'customers_id_seq',
  identities: 'customer_identities_id_seq',
  orders: 'orders_id_seq',
  events: 'events_id_seq',
} as const;

/**
 * Ids reserved from a sequence in large blocks. Other writers may take ids meanwhile; the
 * reserved ones stay ours, and unused ones are simply never used (sequences have gaps anyway).
 */
export class IdRange implements IdBlock {
  #db: Db;
  #sequence: string;
  #blockSize: number;
  #start = 0;
  #list: number[] | null = null;
  #size = 0;
  #used = 0;

  #maxBlock: number;

  /** Blocks start small and grow fourfold up to `maxBlock`, so small loads leave small gaps. */
  constructor(db: Db, kind: keyof typeof SEQUENCES, maxBlock: number) {
    this.#db = db;
    this.#sequence = SEQUENCES[kind];
    this.#maxBlock = maxBlock;
    this.#blockSize = Math.min(maxBlock, 1000);
  }

  get remaining(): number {
    return this.#size - this.#used;
  }

  /** Reserves a new block of at least `n` ids (the rest of the current block is dropped). */
  async refill(n: number): Promise<void> {
    const size = Math.max(n, this.#blockSize);
    this.#blockSize = Math.min(this.#maxBlock, this.#blockSize * 4);
    // Usually one contiguous run: then three numbers describe it. Otherwise fetch the ids.
    const { rows } = await sql<{ lo: number; hi: number }>`
      select min(v)::bigint as lo, max(v)::bigint as hi from (select nextval(${this.#sequence}::regclass) as v from generate_series(1, ${size}::int)) s`.execute(this.#db);
    const { lo, hi } = rows[0]!;
    if (Number(hi) - Number(lo) + 1 === size) {
      this.#start = Number(lo);
      this.#list = null;
    } else {
      const r = await sql<{ ids: (string | number)[] }>`
        select array(select nextval(${this.#sequence}::regclass) from generate_series(1, ${size}::int)) as ids`.execute(this.#db);
      this.#list = r.rows[0]!.ids.map(Number);
    }
    this.#size = size;
    this.#used = 0;
  }

  next(): number {
    if (this.#used >= this.#size) throw new Error(`ran out of reserved ${this.#sequence} ids`);
    const i = this.#used++;
    return this.#list ? this.#list[i]! : this.#start + i;
  }
}

/**
 * Loads COPY text rows into a table: COPY FROM STDIN on PostgreSQL, a file handed to the
 * embedded engine otherwise (COPY FROM STDIN does not pass its socket server).
 */
export async function copyRows(database: Database, table: string, columns: readonly string[], rows: CopyBuffer): Promise<void> {
  if (!rows.rows) return;
  const target = `${table} (${columns.join(', ')})`;
  if (database.kind === 'embedded') {
    if (!database.embedded) throw new Error('bulk loading needs the embedded database to itself: stop `siyu start` first');
    const file = path.join(os.tmpdir(), `siyu-demo-${process.pid}-${table}-${Date.now()}.copy`);
    try {
      fs.writeFileSync(file, Buffer.concat(rows.parts()));
      await database.embedded.copyFromFile(`copy ${target} from '/dev/blob'`, file);
    } finally {
      fs.rmSync(file, { force: true });
    }
    return;
  }
  // A connection of its own: a pooled one may hold foreign-key check plans cached while the
  // referenced table was tiny (seq scans), which turn a COPY of order items into minutes.
  const client = new pg.Client({ connectionString: database.url, application_name: 'siyu-demo-copy' });
  await client.connect();
  try {
    await pipeline(Readable.from(rows.parts()), client.query(copyStreams.from(`copy ${target} from stdin`)));
  } finally {
    await client.end();
  }
}

export async function countCustomers(db: Db, workspaceId: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from customers where workspace_id = ${workspaceId}`.execute(db);
  return rows[0]!.n;
}

/** What a workspace holds after seeding: active and merged-away customers, events, orders. */
export async function countStored(db: Db, workspaceId: string): Promise<{ customers: number; merged: number; events: number; orders: number }> {
  const { rows } = await sql<{ customers: number; merged: number; events: number; orders: number }>`
    select (select count(*)::int from customers where workspace_id = ${workspaceId} and merged_into is null) as customers,
      (select count(*)::int from customers where workspace_id = ${workspaceId} and merged_into is not null) as merged,
      (select count(*)::int from events where workspace_id = ${workspaceId}) as events,
      (select count(*)::int from orders where workspace_id = ${workspaceId}) as orders`.execute(db);
  return rows[0]!;
}

/** Which of the given event client ids are stored (chunk progress markers). */
export async function existingClientIds(db: Db, workspaceId: string, clientIds: string[]): Promise<Set<string>> {
  if (!clientIds.length) return new Set();
  const { rows } = await sql<{ client_id: string }>`
    select client_id from events where workspace_id = ${workspaceId} and client_id = any(${clientIds}::text[])`.execute(db);
  return new Set(rows.map((r) => r.client_id));
}

export async function orderExists(db: Db, workspaceId: string, platform: string, orderNo: string): Promise<boolean> {
  const row = await db
    .selectFrom('orders')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('platform', '=', platform)
    .where('order_no', '=', orderNo)
    .executeTakeFirst();
  return row !== undefined;
}

export interface OwnerAssignment {
  type: string;
  scope: string;
  value: string;
  ownerUserId: string | null;
  attributes: Record<string, unknown>;
}

/**
 * Gives customers (found by one of their identities) their advisor and custom attributes, in one
 * statement. Values an operator set since are kept: the demo only fills gaps.
 */
export async function assignOwnersAndAttributes(db: Db, workspaceId: string, rows: OwnerAssignment[], now: Date): Promise<void> {
  if (!rows.length) return;
  await sql`
    update customers c set
      owner_user_id = coalesce(c.owner_user_id, r.owner_user_id),
      attributes = r.attributes || c.attributes,
      updated_at = ${now}
    from unnest(${rows.map((r) => r.type)}::text[], ${rows.map((r) => r.scope)}::text[], ${rows.map((r) => r.value)}::text[],
      ${rows.map((r) => r.ownerUserId)}::uuid[], ${rows.map((r) => JSON.stringify(r.attributes))}::jsonb[]) as r(type, scope, value, owner_user_id, attributes)
    join customer_identities ci on ci.workspace_id = ${workspaceId} and ci.type = r.type and ci.scope = r.scope and ci.value = r.value
    where c.workspace_id = ${workspaceId} and c.id = ci.customer_id
      and ((c.owner_user_id is null and r.owner_user_id is not null) or not (c.attributes ?& array(select jsonb_object_keys(r.attributes))))`.execute(db);
}

/**
 * Refreshes the planner's statistics after a bulk load, so the first queries plan well. The
 * events are vacuumed too: that marks their pages all-visible, which index-only scans need (a
 * segment's event window reads the type-and-time index without visiting the table); autovacuum
 * would do it only after a fifth more rows arrived, and the embedded engine runs none.
 */
export async function analyzeDemoTables(db: Db): Promise<void> {
  await sql`vacuum (analyze) events`.execute(db);
  await sql`analyze customers, customer_identities, customer_consents, orders, order_items, customer_stats`.execute(db);
}

/**
 * Refreshes one table's statistics. The embedded engine has no autovacuum, so without this its
 * cached foreign-key check plans keep assuming the referenced table is as small as it once was.
 */
export async function analyzeTable(db: Db, table: 'customers' | 'orders' | 'customer_stats'): Promise<void> {
  await sql`analyze ${sql.table(table)}`.execute(db);
}
