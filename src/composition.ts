import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Clock } from './platform/clock.ts';
import { projectRoot, type Config } from './platform/config.ts';
import type { Database } from './platform/db/database.ts';
import { migrationStatus } from './platform/db/migrate.ts';
import { createHttpApp, type ReadinessReport } from './platform/http/app.ts';
import { Jobs } from './platform/jobs/jobs.ts';
import type { Logger } from './platform/logger.ts';
import { createAccessModule, type WorkspaceCreatedHook } from './modules/access/index.ts';
import { registerAuditRoutes } from './modules/audit/index.ts';
import { createCustomersModule } from './modules/customers/index.ts';
import { createEventsModule } from './modules/events/index.ts';
import { createOrdersModule } from './modules/orders/index.ts';
import { createImportsModule, IMPORT_JOB, type ImportJob } from './modules/imports/index.ts';
import { normalizeIdentity } from './modules/customers/index.ts';
import { transactionAdapter } from './platform/jobs/jobs.ts';
import { systemContext } from './platform/http/context.ts';
import { createDemoModule, demoDepsFrom, DEMO_SEED_JOB } from './modules/demo/index.ts';
import { affectsScores, createScoringModule, SCORING_CHANGES_JOB, SCORING_DUE_JOB, SCORING_NIGHTLY_JOB, SCORING_RECOMPUTE_JOB, type CustomersChanged, type RecomputeJob } from './modules/scoring/index.ts';
import { createTasksModule } from './modules/tasks/index.ts';
import { createTagsModule, TAGS_APPLY_JOB } from './modules/tags/index.ts';
import { createOutboundFetch } from './platform/http/outbound.ts';
import { createMessagingModule, DISPATCH_JOB } from './modules/messaging/index.ts';
import { createSegmentsModule, SEGMENTS_EVALUATE_JOB } from './modules/segments/index.ts';
import { CHANNELS, GROUP_CHANNEL } from './modules/messaging/index.ts';
import { createJourneysModule, RUN_JOB as JOURNEYS_RUN_JOB } from './modules/journeys/index.ts';

export const VERSION: string = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')).version;

export interface SiyuDeps {
  config: Config;
  database: Database;
  logger: Logger;
  clock: Clock;
  /** 'worker' for processes that run jobs (start, worker, tests); 'client' for api and CLI. */
  jobsRole?: 'worker' | 'client';
}

/**
 * Builds every module once, with plain factories. The process roles (start, api, worker,
 * CLI commands) differ only in which parts they run.
 */
export function createSiyu(deps: SiyuDeps) {
  const { config, database, logger, clock } = deps;
  const db = database.db;

  // Every module reads a workspace's time zone and membership the same way.
  const timeZoneOn = async (executor: typeof db, id: string) =>
    (await executor.selectFrom('workspaces').select('time_zone').where('id', '=', id).executeTakeFirst())?.time_zone ?? config.defaultTimeZone;
  const timeZoneOf = (id: string) => timeZoneOn(db, id);
  const isMember = async (id: string, userId: string) =>
    !!(await db.selectFrom('memberships').select('user_id').where('workspace_id', '=', id).where('user_id', '=', userId).executeTakeFirst());

  // Modules give a new workspace its defaults in the creating transaction.
  const onWorkspaceCreated: WorkspaceCreatedHook[] = [];
  const access = createAccessModule({
    db,
    clock,
    sessionTtlMs: config.sessionTtlMs,
    defaultTimeZone: config.defaultTimeZone,
    cookieSecure: config.cookieSecure,
    onWorkspaceCreated,
  });

  const jobs = new Jobs({ pool: database.pool, logger: logger.child({ component: 'jobs' }), role: deps.jobsRole ?? 'worker', listen: database.kind === 'postgres' && (deps.jobsRole ?? 'worker') === 'worker' });

  // Customers own OneID and the aggregates; events and orders write through its port and
  // take part in merges, so their rows follow identities (and back on undo). Every write
  // announces the customers it changed on customers.changed, in its own transaction.
  const customers = createCustomersModule({
    db,
    clock,
    publishChanged: (trx, message) => jobs.publish('customers.changed', message, trx),
    workspaces: {
      timeZoneOf,
      isMember,
    },
  });
  onWorkspaceCreated.push(customers.onWorkspaceCreated);
  // Writers refresh planner statistics as tables grow: the embedded engine has no autovacuum,
  // and PostgreSQL's looks at most once a minute and after 10 % growth, which a workspace
  // filling from empty at thousands of rows a second outruns (see auto-analyze.ts).
  const autoAnalyze = true;
  const onAnalyzeError = (err: unknown) => logger.warn({ err }, 'background ANALYZE of growing tables failed');
  // PostgreSQL runs transactions side by side: API batches hold the identity lock only to resolve.
  const events = createEventsModule({ db, clock, customers: customers.writes, autoAnalyze, onAnalyzeError, concurrentWrites: database.kind === 'postgres' });
  const orders = createOrdersModule({ db, clock, customers: customers.writes, appendEvents: events.service.appendEvents, autoAnalyze, onAnalyzeError });
  customers.registerMergeParticipant(events.mergeParticipant);
  customers.registerMergeParticipant(orders.mergeParticipant);

  jobs.define({
    name: 'housekeeping',
    schedule: { cron: '*/10 * * * *' },
    handler: async () => {
      const sessions = await access.auth.purgeExpiredSessions();
      logger.info({ job: 'housekeeping', expiredSessionsDeleted: sessions }, 'housekeeping done');
    },
  });

  jobs.define({
    name: 'customer-stats-windows',
    // Windowed order aggregates (30/90/180/365 days) go stale as time passes; this refreshes
    // them within ~10 minutes of windows_valid_until. Profile reads compute them exactly.
    schedule: { cron: '*/10 * * * *' },
    handler: async () => {
      let refreshed = 0;
      for (let n = -1; n !== 0; refreshed += n) n = await customers.stats.refreshStaleWindows({ limit: 5000 });
      if (refreshed) logger.info({ job: 'customer-stats-windows', refreshed }, 'customer windows refreshed');
    },
  });

  // Tags: manual and rule tags; changes go on the timeline (events) and out on
  // customers.changed; tags follow merges; rules react to customers.changed.
  const tags = createTagsModule({
    db,
    clock,
    appendEvents: events.service.appendEvents,
    announce: customers.writes.announce,
    enqueueApply: async (trx, workspaceId) => {
      await jobs.send(TAGS_APPLY_JOB, { workspaceId }, { db: transactionAdapter(trx), singletonKey: workspaceId });
    },
  });
  customers.registerMergeParticipant(tags.mergeParticipant);
  for (const def of tags.jobDefinitions(logger.child({ component: 'tags' }))) jobs.define(def);

  // The demo brand: `siyu seed --demo`, and seeded in the background on the first start.
  const demo = createDemoModule(demoDepsFrom({ database, clock, logger: logger.child({ component: 'demo' }) }, { access, customers, events, orders }));
  jobs.define(demo.seedJob((data) => jobs.send(DEMO_SEED_JOB, data)));

  // CSV imports write through the orders, events and customers ports in their own batch
  // transactions; console imports run as a job in the worker.
  const imports = createImportsModule({
    db,
    clock,
    orders: { validate: orders.service.validateOrder, upsert: orders.upsertValidInTransaction },
    events: { validate: events.service.validateEvent, ingest: events.service.ingestValidInTransaction },
    customers: { loadIdentityTypes: customers.writes.loadIdentityTypes, resolve: customers.writes.resolve, normalizeIdentity },
    enqueueRun: async (trx, job) => {
      await jobs.send(IMPORT_JOB, job, { db: transactionAdapter(trx) });
    },
  });
  jobs.define<ImportJob>({
    name: IMPORT_JOB,
    // A run resumes after its last committed batch, so a retry after a crash is safe.
    queue: { retryLimit: 3, retryDelay: 30, expireInSeconds: 4 * 3600 },
    handler: async (batch) => {
      for (const job of batch) await imports.runJob(job.data);
    },
  });

  // Scoring: RFM, lifecycle stages, value layers and tiers. Full recomputes run as a job
  // (nightly, on demand, after large imports); customers.changed re-scores just the customers
  // concerned, and scoring announces its own changes there with cause 'score'.
  const scoring = createScoringModule({
    db,
    pool: database.pool,
    canCopyFrom: database.kind === 'postgres',
    clock,
    timeZoneOf,
    enqueueRecompute: async (trx, job) => {
      await jobs.send(SCORING_RECOMPUTE_JOB, job, { db: transactionAdapter(trx) });
    },
    publishChanged: (trx, workspaceId, customerIds) => customers.writes.announce(trx, workspaceId, customerIds, 'score'),
  });
  jobs.define<RecomputeJob>({
    name: SCORING_RECOMPUTE_JOB,
    // A failed run is recorded as failed; the next request or the nightly schedule starts a new one.
    queue: { retryLimit: 1, retryDelay: 60, expireInSeconds: 3600 },
    handler: async (batch) => {
      for (const job of batch) await scoring.recompute.run(job.data);
    },
  });
  jobs.define<CustomersChanged>({
    name: SCORING_CHANGES_JOB,
    topics: ['customers.changed'],
    // The inserted events are for journeys' event triggers; this queue reads only the customers.
    omit: ['events'],
    // Scoring's own announcements and tag changes cannot move a score.
    accepts: (data) => affectsScores(data.causes),
    batchSize: 50,
    handler: async (batch) => {
      await scoring.onCustomersChanged(batch.map((j) => j.data));
    },
  });
  jobs.define({
    name: SCORING_DUE_JOB,
    // Stages and tiers that change as a local day turns are re-scored within minutes of midnight.
    schedule: { cron: '*/10 * * * *' },
    handler: async () => {
      const r = await scoring.incremental.rescoreDueAll();
      if (r.rescored) logger.info({ job: SCORING_DUE_JOB, ...r }, 'customers re-scored as the day turned');
    },
  });
  jobs.define({
    name: SCORING_NIGHTLY_JOB,
    schedule: { cron: '*/15 * * * *' },
    handler: async () => {
      const { queued } = await scoring.schedule.tick();
      if (queued.length) logger.info({ job: SCORING_NIGHTLY_JOB, workspaces: queued.length }, 'scoring recomputes queued');
    },
  });

  // Operator tasks: advisors' inboxes; journeys hand customers to people through createTasks.
  const tasks = createTasksModule({
    db,
    clock,
    timeZoneOf,
    isMember,
  });
  customers.registerMergeParticipant(tasks.mergeParticipant);

  // The one send path: every message (journeys, campaigns, SOPs, API, console) passes the
  // messaging guard rails and ledger; webhook and SMS delivery run in the worker after commit.
  const messaging = createMessagingModule({
    db,
    clock,
    logger: logger.child({ component: 'messaging' }),
    timeZoneOf: timeZoneOn,
    // Webhook and SMS URLs are the workspace's to set: private and loopback addresses are refused unless the deployment allows them.
    fetch: createOutboundFetch({ allowPrivate: config.outboundAllowPrivate }),
    enqueueDispatch: async (workspaceId, { trx, delaySeconds }) => {
      await jobs.send(DISPATCH_JOB, { workspaceId }, { ...(trx ? { db: transactionAdapter(trx) } : {}), ...(delaySeconds ? { startAfter: delaySeconds } : {}) });
    },
  });
  customers.registerMergeParticipant(messaging.mergeParticipant);
  for (const def of messaging.jobs()) jobs.define(def);

  // Segments: live membership on customers.changed, re-evaluation after local midnight and
  // hourly reconcile; entries and exits go out on segments.membership_changed.
  const segments = createSegmentsModule({
    db,
    clock,
    publish: (topic, data, trx) => jobs.publish(topic, data, trx),
    enqueueEvaluation: async (trx, job) => {
      await jobs.send(SEGMENTS_EVALUATE_JOB, job, { db: transactionAdapter(trx) });
    },
    tagCustomers: (ctx, tagId, ids) => tags.tagCustomers(ctx, tagId, ids),
  });
  for (const def of segments.jobDefinitions(logger.child({ component: 'segments' }))) jobs.define(def);

  // Journeys: triggers from customers.changed, segment changes and the minute tick; the
  // runner sends through messaging, hands customers to people through tasks and tags
  // through tags, all in the batch's transaction (tags after commit, from an outbox).
  const journeys = createJourneysModule({
    db,
    clock,
    logger: logger.child({ component: 'journeys' }),
    timeZoneOf,
    messaging: {
      channels: CHANNELS,
      // Group SOPs post through messaging's group channel (recorded by the outbox driver until the WeCom connector delivers them).
      groupChannel: GROUP_CHANNEL,
      sendInTransaction: messaging.sendInTransaction,
      postToGroups: messaging.postToGroups,
      templateChannels: messaging.templateChannels,
      countBySource: messaging.countBySource,
      statusesByKey: messaging.statusesByKey,
      cancelPending: messaging.cancelPending,
      holdSource: messaging.holdSource,
      releaseSourceHold: messaging.releaseSourceHold,
    },
    segments: segments.audiences,
    tags: {
      add: async (workspaceId, tagId, ids, label) => void (await tags.tagCustomers(systemContext(workspaceId, label), tagId, ids, { source: 'journey' })),
      remove: async (workspaceId, tagId, ids, label) => void (await tags.untagCustomers(systemContext(workspaceId, label), tagId, ids, { source: 'journey' })),
    },
    tasks: { createTasks: tasks.createTasks, countBySource: tasks.countBySource, skipOpenBySource: tasks.skipOpenBySource },
    // One queued run per slot: now (deduplicated while one waits) or at the second a wait ends.
    wakeRunner: async ({ trx, at }) => {
      const slot = at ? `at:${Math.ceil(at.getTime() / 1000)}` : 'now';
      await jobs.send(JOURNEYS_RUN_JOB, {}, { singletonKey: slot, ...(at ? { startAfter: at } : {}), ...(trx ? { db: transactionAdapter(trx) } : {}) });
    },
  });
  customers.registerMergeParticipant(journeys.mergeParticipant);
  for (const def of journeys.jobDefinitions()) jobs.define(def);

  async function readiness(): Promise<ReadinessReport> {
    const checks: ReadinessReport['checks'] = {};
    try {
      await database.pool.query('select 1');
      checks.database = { ok: true, detail: database.kind };
    } catch (err) {
      checks.database = { ok: false, detail: (err as Error).message };
    }
    if (checks.database.ok) {
      try {
        const status = await migrationStatus(database.pool);
        checks.migrations = status.pending.length
          ? { ok: false, detail: `${status.pending.length} pending: ${status.pending.map((p) => p.name).join(', ')}` }
          : { ok: true, detail: `${status.applied.length} applied` };
      } catch (err) {
        checks.migrations = { ok: false, detail: (err as Error).message };
      }
    }
    return { ok: Object.values(checks).every((c) => c.ok), checks };
  }

  async function createHttp(): Promise<FastifyInstance> {
    return createHttpApp({
      logger: logger.child({ component: 'http' }),
      webDist: config.webDist,
      version: VERSION,
      readiness,
      register: (app) => {
        access.registerRoutes(app);
        registerAuditRoutes(app, access.authenticator, db);
        customers.registerRoutes(app, access.authenticator);
        events.registerRoutes(app, access.authenticator);
        orders.registerRoutes(app, access.authenticator);
        imports.registerRoutes(app, access.authenticator);
        scoring.registerRoutes(app, access.authenticator);
        tasks.registerRoutes(app, access.authenticator);
        tags.registerRoutes(app, access.authenticator);
        segments.registerRoutes(app, access.authenticator);
        messaging.registerRoutes(app, access.authenticator);
        journeys.registerRoutes(app, access.authenticator);
      },
    });
  }

  return { config, database, db, logger, clock, access, customers, events, orders, demo, imports, scoring, tags, tasks, segments, messaging, journeys, jobs, readiness, createHttp };
}

export type Siyu = ReturnType<typeof createSiyu>;
