/** Stored rows as API replies. */
import { CutPointsSchema } from './scoring.schemas.ts';
import type { RunRow } from './runs.repository.ts';

/** The phases of a run in the order they run (jsonb keeps its own key order). */
const PHASES = ['find', 'read', 'score', 'write', 'announce', 'distribution'];
const rank = (phase: string) => (PHASES.includes(phase) ? PHASES.indexOf(phase) : PHASES.length);

/** Milliseconds per phase as stored, in phase order (anything else: null). */
function timingsOf(v: unknown): Record<string, number> | null {
  if (!v || typeof v !== 'object') return null;
  const entries = Object.entries(v).filter((e): e is [string, number] => typeof e[1] === 'number').sort(([a], [b]) => rank(a) - rank(b));
  return entries.length ? Object.fromEntries(entries) : null;
}

export function runView(r: RunRow) {
  const cut = CutPointsSchema.safeParse(r.cut_points);
  return {
    id: r.id,
    trigger: r.trigger,
    status: r.status as 'queued' | 'running' | 'completed' | 'failed',
    phase: r.phase,
    mode: r.mode as 'full' | 'changes' | null,
    customers: r.customers,
    changed: r.changed,
    classChanged: r.class_changed,
    cutPoints: cut.success ? cut.data : null,
    timings: timingsOf(r.timings),
    error: r.error,
    requestedBy: r.requested_by,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    seconds: r.started_at && r.finished_at ? Math.round((r.finished_at.getTime() - r.started_at.getTime()) / 10) / 100 : null,
  };
}
