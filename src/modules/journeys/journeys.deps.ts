import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { DB } from '../../platform/db/database.types.ts';
import type { Db } from '../../platform/db/pool.ts';
import type { Logger } from '../../platform/logger.ts';
import type { SendOutcome, SendRequest, SourceCount } from '../messaging/index.ts';
import type { NewTask } from '../tasks/index.ts';
import type { Condition } from './journeys.schemas.ts';

export type Executor = Kysely<DB> | Transaction<DB>;
export type Trx = Transaction<DB>;

/** A post to a group of a group SOP (the messaging group channel). */
export interface GroupPost {
  idempotencyKey: string;
  groupId: string;
  content?: { title?: string | undefined; text: string } | undefined;
  template?: { id: string } | undefined;
  variables?: Record<string, string> | undefined;
  source: { kind: 'journey'; id: string; version: number; step: string };
}

/** The send path (messaging module's index.ts), as journeys use it. */
export interface JourneyMessaging {
  /** Channels a send step may name (customers). */
  channels: readonly string[];
  /** The channel that posts to groups, or null while messaging has none. */
  groupChannel: string | null;
  /** Sends a batch (≤ 1,000) in the caller's transaction; outcomes in request order. */
  sendInTransaction(trx: Trx, workspaceId: string, requests: readonly SendRequest[]): Promise<SendOutcome[]>;
  /** Group posts in the caller's transaction (only when groupChannel is set). */
  postToGroups?(trx: Trx, workspaceId: string, posts: readonly GroupPost[]): Promise<{ idempotencyKey: string; status: string; reason: string | null }[]>;
  /** The channel of each named template that exists. */
  templateChannels(workspaceId: string, ids: readonly string[]): Promise<Map<string, { channel: string }>>;
  countBySource(workspaceId: string, sourceKind: 'journey', sourceId: string): Promise<SourceCount[]>;
  /** Where messages stand now (released, delivered, withdrawn), by idempotency key. */
  statusesByKey(workspaceId: string, keys: readonly string[]): Promise<Map<string, { status: string; reason: string | null }>>;
  /** Makes a journey's pending messages wait while it is paused (held ones not released, queued ones not delivered). */
  holdSource(trx: Trx, workspaceId: string, source: { sourceKind: 'journey'; sourceId: string }): Promise<void>;
  /** Lifts that hold (resume, stop). */
  releaseSourceHold(trx: Trx, workspaceId: string, source: { sourceKind: 'journey'; sourceId: string }): Promise<void>;
  /** Withdraws held and queued messages of a journey (a stop). */
  cancelPending(trx: Trx, workspaceId: string, filter: { sourceKind: string; sourceId: string; customerIds?: readonly number[] }): Promise<number>;
}

/** Segment rules and members (segments module's index.ts). */
export interface JourneySegments {
  /** Which of `customerIds` satisfy the rule now. */
  matching(db: Executor, workspaceId: string, rule: Condition, customerIds: readonly number[]): Promise<Set<number>>;
  /** Customers satisfying the rule, ids ascending after `afterId` (schedule audiences). */
  matchingPage(db: Executor, workspaceId: string, rule: Condition, afterId: number, limit: number): Promise<number[]>;
  /** Members of a segment, ids ascending after `afterId`. */
  membersPage(db: Executor, workspaceId: string, segmentId: string, afterId: number, limit: number): Promise<number[]>;
}

/** Tags (tags module's index.ts): idempotent bulk add/remove in transactions of their own. */
export interface JourneyTags {
  add(workspaceId: string, tagId: string, customerIds: readonly number[], actorLabel: string): Promise<void>;
  remove(workspaceId: string, tagId: string, customerIds: readonly number[], actorLabel: string): Promise<void>;
}

/** Operator tasks (tasks module's index.ts). */
export interface JourneyTasks {
  createTasks(trx: Trx, workspaceId: string, tasks: readonly NewTask[], now: Date): Promise<string[]>;
  countBySource(workspaceId: string, sourceKind: 'journey', sourceId: string): Promise<{ step: string | null; version: number | null; status: string; outcome: string | null; count: number }[]>;
  /** Skips the open tasks of a stopped journey (by: who stopped it). */
  skipOpenBySource(trx: Trx, workspaceId: string, sourceKind: 'journey', sourceId: string, by: string, now: Date): Promise<number>;
}

export interface JourneysDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  timeZoneOf(workspaceId: string): Promise<string>;
  messaging: JourneyMessaging;
  segments: JourneySegments;
  tags: JourneyTags;
  tasks: JourneyTasks;
  /**
   * Asks workers to run due steps: now (inside `trx`, so only if it commits), or at `at`
   * (a wait ending).
   */
  wakeRunner(options: { trx?: Trx; at?: Date }): Promise<void>;
}

/** Runs due steps in batches (several per process and across workers). */
export const RUN_JOB = 'journeys.run';
/** Every minute: timed triggers (schedules, birthdays, joining days) and due waits. */
export const TICK_JOB = 'journeys.tick';
/** Subscriber of customers.changed: event triggers, exit rules, goals, opt-outs. */
export const CUSTOMERS_CHANGED_JOB = 'journeys.customers-changed';
/** Subscriber of segments.membership_changed: segment triggers and left-segment exits. */
export const SEGMENTS_CHANGED_JOB = 'journeys.segments-changed';
