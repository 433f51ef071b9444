import type { PGlite } from '@electric-sql/pglite';

/**
 * Checkpoints for the embedded engine. PGlite runs PostgreSQL as a single backend with no
 * checkpointer process, and a standalone backend never starts a checkpoint on its own (neither
 * after `max_wal_size` of WAL nor after `checkpoint_timeout`): WAL then grows without bound
 * until the database is closed — 14 GB of it while the demo brand's first 200,000 customers
 * were loaded — and a restart after a crash replays all of it. The embedded server asks for a
 * checkpoint as a PostgreSQL server's checkpointer would: after `walBytes` of WAL, or once
 * `maxAgeMs` has passed with any WAL written.
 */
export interface CheckpointPolicy {
  /** Checkpoint once this much WAL was written since the last checkpoint began. */
  walBytes: number;
  /** Checkpoint when this long has passed since the last one and any WAL was written. */
  maxAgeMs: number;
  /** How often to look. */
  intervalMs: number;
}

/** PostgreSQL's defaults, scaled to a single-process engine: a quarter of max_wal_size, checkpoint_timeout. */
export const DEFAULT_CHECKPOINT_POLICY: CheckpointPolicy = { walBytes: 256 * 1024 * 1024, maxAgeMs: 5 * 60_000, intervalMs: 15_000 };

/** Whether a checkpoint is due, given the WAL written since the last one and its age. */
export function checkpointDue(walSinceLast: number, msSinceLast: number, policy: CheckpointPolicy): boolean {
  if (walSinceLast >= policy.walBytes) return true;
  // A checkpoint record itself is about a hundred bytes: only real writes make an old one due.
  return msSinceLast >= policy.maxAgeMs && walSinceLast > 1024;
}

/** Runs `task` when no client holds the session (SessionQueue.whenIdle). */
type WhenIdle = (task: () => Promise<void>) => Promise<void>;

/**
 * Looks every `intervalMs` and checkpoints when due, between clients' transactions. Returns a
 * function that stops it. Failures are reported and retried at the next look.
 */
export function startCheckpointer(db: PGlite, whenIdle: WhenIdle, policy: CheckpointPolicy, onError: (err: unknown) => void): () => void {
  let last = Date.now();
  let busy = false;
  const look = () => {
    if (busy) return;
    busy = true;
    whenIdle(async () => {
      const { rows } = await db.query<{ bytes: string | number }>('select pg_wal_lsn_diff(pg_current_wal_lsn(), redo_lsn)::int8 as bytes from pg_control_checkpoint()');
      if (!checkpointDue(Number(rows[0]?.bytes ?? 0), Date.now() - last, policy)) return;
      await db.exec('CHECKPOINT');
      last = Date.now();
    })
      .catch(onError)
      .finally(() => {
        busy = false;
      });
  };
  const timer = setInterval(look, policy.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
