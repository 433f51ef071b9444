/**
 * Which customers the tags subscriber re-evaluates for a batch of `customers.changed`
 * jobs (pure). Rules read events and purchases only: a change caused purely by tags,
 * scores or segments cannot change what a rule says, and re-evaluating on our own 'tag'
 * announcements would loop.
 */
import type { CustomersChanged } from './tags.deps.ts';

const IRRELEVANT_CAUSES: ReadonlySet<string> = new Set(['tag', 'score', 'segment']);

export function isRelevantChange(data: Pick<CustomersChanged, 'causes'>): boolean {
  const causes = Array.isArray(data.causes) ? data.causes : [];
  // Unknown or missing causes: re-evaluate (safe, idempotent).
  return !causes.length || causes.some((c) => !IRRELEVANT_CAUSES.has(c));
}

/** Customer ids to re-evaluate, per workspace, deduplicated and sorted. */
export function customersToEvaluate(batch: readonly Partial<CustomersChanged>[]): Map<string, number[]> {
  const byWorkspace = new Map<string, Set<number>>();
  for (const data of batch) {
    if (typeof data.workspaceId !== 'string' || !Array.isArray(data.customerIds) || !isRelevantChange({ causes: data.causes ?? [] })) continue;
    const set = byWorkspace.get(data.workspaceId) ?? new Set<number>();
    for (const id of data.customerIds) if (Number.isSafeInteger(id) && id > 0) set.add(id);
    byWorkspace.set(data.workspaceId, set);
  }
  return new Map([...byWorkspace].map(([ws, ids]) => [ws, [...ids].sort((a, b) => a - b)]));
}
