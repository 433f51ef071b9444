import { PgBoss, fromKysely, type Db as IDatabase, type Job, type QueueOptions, type SendOptions } from 'pg-boss';
import { listenFor } from './listen.ts';
import type { Kysely, Transaction } from 'kysely';
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
   * Fields of published messages this queue does not read: left out of its jobs (a large
   * field costs every subscriber's insert in the publishing transaction).
   */
  omit?: readonly string[];
  /**
   * Which published messages this queue reads: the others are not enqueued for it at all (the
   * handler would drop them; each job is an insert in the publishing transaction). The handler
   * must still drop them itself: jobs enqueued before a change of this rule remain.
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
}

/**
 * The pg-boss adapter over Siyu's own pool, so one pool bounds all connections (the listener,
 * when on, holds one more of its own).
 */
function poolAdapter(pool: pg.Pool, listen: boolean): IDatabase {
  const adapter: IDatabase = { executeSql: (text: string, values?: unknown[]) => pool.query(text, values) };
  if (listen) adapter.listen = (channel, onNotification, onReconnect) => listenFor(pool.options, channel, onNotification, onReconnect);
  return adapter;
}

/** Lets a job be enqueued inside the caller's transaction (transactional outbox). */
export function transactionAdapter<DB>(trx: Transaction<DB> | Kysely<DB>): IDatabase {
  return fromKysely(trx);
}

export class Jobs {
  readonly boss: PgBoss;
  readonly #definitions = new Map<string, JobDefinition<object>>();
  readonly #logger: Logger;
  readonly #listen: boolean;
  #started = false;

  constructor(options: JobsOptions) {
    this.#logger = options.logger;
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

  /** Starts handlers and schedules: only worker processes call this. */
  async work(): Promise<void> {
    await this.start();
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

  /**
   * Publishes to every queue subscribed to `topic`. Pass `trx` to publish inside a
   * transaction: the jobs exist if and only if the transaction commits.
   */
  async publish<T extends object, DB>(topic: string, data: T, trx?: Transaction<DB> | Kysely<DB>): Promise<void> {
    // Subscribers are known from the definitions every process shares, so no lookup runs
    // outside the caller's transaction (pg-boss's own publish reads its subscription table
    // on the pool, which would wait on the caller's open transaction in the embedded engine).
    this.#assertStarted();
    const options = trx ? { db: transactionAdapter(trx) } : {};
    for (const def of this.#definitions.values()) {
      if (!def.topics?.includes(topic) || (def.accepts && !def.accepts(data))) continue;
      const payload = def.omit?.length ? Object.fromEntries(Object.entries(data).filter(([k]) => !def.omit!.includes(k))) : data;
      await this.boss.send(def.name, payload, options);
    }
  }

  /** Stops fetching, waits for running handlers to finish, then closes. */
  async stop(timeoutMs = 30_000): Promise<void> {
    if (!this.#started) return;
    await this.boss.stop({ graceful: true, timeout: timeoutMs, close: true });
    this.#started = false;
  }
}
