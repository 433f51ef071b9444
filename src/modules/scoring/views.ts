/** Stored rows as API replies. */
import { CutPointsSchema } from './scoring.schemas.ts';
import type { RunRow } from './runs.repository.ts';

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
    error: r.error,
    requestedBy: r.requested_by,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    seconds: r.started_at && r.finished_at ? Math.round((r.finished_at.getTime() - r.started_at.getTime()) / 10) / 100 : null,
  };
}
