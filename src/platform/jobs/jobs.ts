import { PgBoss, fromKysely, type Db as IDatabase, type Job, type QueueOptions, type SendOptions } from 'pg-boss';
import { listenFor } from './listen.ts';
import { sql, type Kysely, type Transaction } from 'kysely';
import type pg from 'pg';
import type { Logger } from '../logger.ts';

/**
 * A background job: a named queue, its handler, and optionally a cron schedule.
 * Handlers receive batches and must be idempotent: pg-boss delivers at least once.
 */
export interface JobDefinition<T extends object = object> {
  name: string;
  /**
   * Topics this queue subscribes to: every `publish(topic, ...)` puts one job on this queue
   * (fan-out to each subscriber). Used for cross-module reactions: the publishing module
   * publishes inside its transaction, subscribers react in the worker.
   */
  topics?: string[];
  /**
   * Fields of published messages this queue does not read: left out of its jobs.
   */
  omit?: readonly string[];
  /**
   * Which published messages this queue reads: the others are not enqueued for it at all (the
   * handler would drop them). The handler must still drop them itself: jobs enqueued before a
   * change of this rule remain.
   */
  accepts?: (data: T) => boolean;
  handler: (jobs: Job<T>[]) => Promise<void>;
  batchSize?: number;
  /** Concurrent batches in this process. */
  concurrency?: number;
  pollingIntervalSeconds?: number;
  queue?: QueueOptions;
  schedule?: { cron: string; tz?: string; data?: T };
}

export interface JobsOptions {
  pool: pg.Pool;
  logger: Logger;
  schema?: string;
  /**
   * 'worker' processes run maintenance and fire cron schedules; 'client' processes (API
   * servers, CLI commands) only enqueue.
   */
  role?: 'worker' | 'client';
  /**
   * Wake workers the moment a job is committed (PostgreSQL LISTEN/NOTIFY on a dedicated
   * connection) instead of at their next poll. Polling stays on as the backstop (and for
   * delayed jobs). PostgreSQL only: the embedded engine serves one multiplexed session.
   */
  listen?: boolean;
  /** How often a worker's relay looks for published messages when it found none (default 100 ms). */
  relayIntervalMs?: number;
  /** The relay vacuums the outbox after moving this many messages (default 10,000). */
  relayVacuumEvery?: number;
}

/**
 * The pg-boss adapter over Siyu's own pool, so one pool bounds all connections (the listener,
 * when on, holds one more of its own).
 */
function poolAdapter(pool: pg.Pool, listen: boolean): IDatabase {
  const adapter = queryAdapter(pool);
  if (listen) adapter.listen = (channel, onNotification, onReconnect) => listenFor(pool.options, channel, onNotification, onReconnect);
  return adapter;
}

/** pg-boss's statements on a pool or on one checked-out connection (inside its transaction). */
function queryAdapter(target: pg.Pool | pg.PoolClient): IDatabase {
  return { executeSql: (text: string, values?: unknown[]) => target.query(text, values) };
}

/** Lets a job be enqueued inside the caller's transaction (transactional outbox). */
export function transactionAdapter<DB>(trx: Transaction<DB> | Kysely<DB>): IDatabase {
  return fromKysely(trx);
}

/** Published messages moved per relay transaction. */
const RELAY_BATCH = 200;
/** Notified by the job outbox's trigger when a published message commits. */
const OUTBOX_CHANNEL = 'siyu_job_outbox';

export class Jobs {
  readonly boss: PgBoss;
  readonly #definitions = new Map<string, JobDefinition<object>>();
  readonly #logger: Logger;
  readonly #listen: boolean;
  readonly #pool: pg.Pool;
  readonly #relayIntervalMs: number;
  readonly #relayVacuumEvery: number;
  #started = false;
  #relaying: { stop: () => Promise<void> } | null = null;

  constructor(options: JobsOptions) {
    this.#logger = options.logger;
    this.#pool = options.pool;
    this.#relayIntervalMs = options.relayIntervalMs ?? 100;
    this.#relayVacuumEvery = options.relayVacuumEvery ?? 10_000;
    this.#listen = options.listen ?? false;
    this.boss = new PgBoss({
      db: poolAdapter(options.pool, this.#listen),
      useListenNotify: this.#listen,
      schema: options.schema ?? 'pgboss',
      // Embedded and server databases behave alike behind the wire protocol.
      backend: 'postgres',
      supervise: (options.role ?? 'worker') === 'worker',
      schedule: (options.role ?? 'worker') === 'worker',
      superviseIntervalSeconds: 60,
      monitorIntervalSeconds: 60,
    });
    this.boss.on('error', (err: Error) => this.#logger.error({ err }, 'job system error'));
  }

  define<T extends object>(def: JobDefinition<T>): void {
    if (this.#definitions.has(def.name)) throw new Error(`job ${def.name} defined twice`);
    this.#definitions.set(def.name, def as unknown as JobDefinition<object>);
  }

  definitions(): JobDefinition<object>[] {
    return [...this.#definitions.values()];
  }

  /** Installs or upgrades the job schema and creates every queue; safe to run in many processes. */
  async start(): Promise<void> {
    if (this.#started) return;
    await this.boss.start();
    for (const def of this.#definitions.values()) {
      await this.boss.createQueue(def.name, { ...(this.#listen ? { notify: true } : {}), ...def.queue });
    }
    if (this.#listen) {
      // Queues made before notifications were on get them too (one read for all of them).
      for (const q of await this.boss.getQueues([...this.#definitions.keys()])) {
        if (!q.notify) await this.boss.updateQueue(q.name, { notify: true });
      }
    }
    this.#started = true;
  }

  /** Starts handlers, schedules and the relay of published messages: only worker processes call this. */
  async work(): Promise<void> {
    await this.start();
    this.#relaying ??= this.#startRelay();
    for (const def of this.#definitions.values()) {
      if (def.schedule) {
        await this.boss.schedule(def.name, def.schedule.cron, def.schedule.data ?? {}, {
          tz: def.schedule.tz ?? 'UTC',
        });
      }
      const concurrency = def.concurrency ?? 1;
      await this.boss.work(
        def.name,
        {
          batchSize: def.batchSize ?? 1,
          localConcurrency: concurrency,
          pollingIntervalSeconds: def.pollingIntervalSeconds ?? 2,
          // With notifications on, polling keeps its pace: it is what picks up delayed jobs.
          notifyPollingIntervalSeconds: def.pollingIntervalSeconds ?? 2,
        },
        async (jobs: Job<object>[]) => {
          try {
            await def.handler(jobs);
          } catch (err) {
            this.#logger.error({ err, job: def.name, ids: jobs.map((j) => j.id) }, 'job failed');
            throw err;
          }
        },
      );
    }
  }

  /**
   * Enqueueing needs the queues' cache warm: a cold cache makes pg-boss read its queue table
   * on the pool, which waits forever behind the caller's open transaction on the embedded
   * engine. Every process starts its jobs at boot; anything else is a programming error.
   */
  #assertStarted(): void {
    if (!this.#started) throw new Error('jobs are not started: call jobs.start() before sending or publishing');
  }

  async send<T extends object>(name: string, data: T, options: SendOptions = {}): Promise<string | null> {
    if (!this.#definitions.has(name)) throw new Error(`unknown job ${name}`);
    this.#assertStarted();
    return this.boss.send(name, data, options);
  }

  /** The queues subscribed to `topic` that accept `data`. */
  #subscribers(topic: string, data: object): string[] {
    return [...this.#definitions.values()].filter((def) => def.topics?.includes(topic) && (!def.accepts || def.accepts(data))).map((def) => def.name);
  }

  /** What queue `name` receives of a published message: without the fields it omits. */
  #payloadFor(name: string, data: object): object {
    const omit = this.#definitions.get(name)?.omit;
    return omit?.length ? Object.fromEntries(Object.entries(data).filter(([k]) => !omit.includes(k))) : data;
  }

  /**
   * Publishes to every queue subscribed to `topic`. Pass `trx` to publish inside a
   * transaction: the message exists if and only if the transaction commits. It is one row of
   * the job outbox, whatever the number of subscribers; a worker's relay (`relay`) turns it
   * into one job per subscriber. A message no subscriber accepts is not written at all.
   */
  async publish<T extends object, DB>(topic: string, data: T, trx?: Transaction<DB> | Kysely<DB>): Promise<void> {
    // Subscribers are known from the definitions every process shares, so nothing is read
    // outside the caller's transaction (which would wait on it in the embedded engine).
    this.#assertStarted();
    const queues = this.#subscribers(topic, data);
    if (!queues.length) return;
    const json = JSON.stringify(data);
    if (trx) await sql`insert into job_outbox (topic, queues, data) values (${topic}, ${queues}::text[], ${json}::jsonb)`.execute(trx);
    else await this.#pool.query('insert into job_outbox (topic, queues, data) values ($1, $2::text[], $3::jsonb)', [topic, queues, json]);
  }

  /**
   * Moves up to `limit` published messages, oldest first, into their subscribers' queues (one
   * insert per queue) and deletes them, all in one transaction: each message becomes its jobs
   * exactly once, and a failure leaves it for the next attempt. Relays of several processes
   * take disjoint messages. Returns the number of messages moved.
   */
  async relay(limit = RELAY_BATCH): Promise<number> {
    this.#assertStarted();
    // Only messages for queues this process defines: pg-boss knows those without a lookup (which
    // would wait behind this transaction on the embedded engine); a message for a queue of a
    // newer version of Siyu waits for a relay of that version.
    const known = [...this.#definitions.keys()];
    const { rows: pending } = await this.#pool.query('select 1 from job_outbox where queues <@ $1::text[] limit 1', [known]);
    if (!pending.length) return 0;
    const client = await this.#pool.connect();
    try {
      await client.query('begin');
      const { rows } = await client.query<{ id: string; queues: string[]; data: object }>(
        `delete from job_outbox where id in (select id from job_outbox where queues <@ $2::text[] order by id limit $1 for update skip locked) returning id, queues, data`,
        [limit, known],
      );
      rows.sort((a, b) => Number(a.id) - Number(b.id));
      const byQueue = new Map<string, { data: object }[]>();
      for (const r of rows) {
        for (const name of r.queues) {
          const list = byQueue.get(name) ?? [];
          list.push({ data: this.#payloadFor(name, r.data) });
          byQueue.set(name, list);
        }
      }
      const db = queryAdapter(client);
      for (const [name, jobs] of byQueue) await this.boss.insert(name, jobs, { db });
      await client.query('commit');
      return rows.length;
    } catch (err) {
      await client.query('rollback').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  /**
   * Relays published messages until stopped: at once while there are more, else every interval.
   * Every row it moves is deleted, so it vacuums the outbox now and then: the embedded engine
   * runs no autovacuum, and without it the dead rows would pile up and every look at the
   * outbox would read them all.
   */
  #startRelay(): { stop: () => Promise<void> } {
    let stopped = false;
    let sinceVacuum = 0;
    let timer: NodeJS.Timeout | undefined;
    let wake: (() => void) | undefined;
    // A notification that arrives while a relay runs makes the next sleep end at once.
    let notified = false;
    const sleep = (ms: number) =>
      new Promise<void>((resolve) => {
        if (notified) return resolve();
        wake = resolve;
        timer = setTimeout(resolve, ms);
      });
    const onNotify = () => {
      notified = true;
      clearTimeout(timer);
      wake?.();
    };
    // On PostgreSQL, a commit that published wakes the relay at once (a trigger notifies);
    // polling stays on as the backstop, and is all the embedded engine has.
    const listening = this.#listen
      ? listenFor(this.#pool.options, OUTBOX_CHANNEL, onNotify, onNotify).catch((err: unknown) => {
          this.#logger.warn({ err }, 'no wake-ups for published messages; the relay polls');
          return null;
        })
      : Promise.resolve(null);
    const loop = (async () => {
      while (!stopped) {
        notified = false;
        const moved = await this.relay().catch((err: unknown) => {
          this.#logger.error({ err }, 'relay of published messages failed; retrying');
          return -1;
        });
        if (moved < 0) {
          await sleep(Math.max(1000, this.#relayIntervalMs));
          continue;
        }
        sinceVacuum += moved;
        if (sinceVacuum >= this.#relayVacuumEvery) {
          sinceVacuum = 0;
          await this.#pool.query('vacuum job_outbox').catch((err: unknown) => this.#logger.warn({ err }, 'vacuum of the job outbox failed'));
        }
        if (moved < RELAY_BATCH && !stopped) await sleep(this.#relayIntervalMs);
      }
    })();
    return {
      stop: async () => {
        stopped = true;
        clearTimeout(timer);
        wake?.();
        await loop;
        await (await listening)?.close();
      },
    };
  }

  /** Stops fetching, waits for running handlers to finish, then closes. */
  async stop(timeoutMs = 30_000): Promise<void> {
    if (!this.#started) return;
    await this.#relaying?.stop();
    this.#relaying = null;
    await this.boss.stop({ graceful: true, timeout: timeoutMs, close: true });
    this.#started = false;
  }
}
