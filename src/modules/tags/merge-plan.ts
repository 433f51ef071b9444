/**
 * How customer tags follow a merge and come back on its undo (pure). The merge gives the
 * survivor every tag of the merged customer; where both hold a tag, a row given by a person
 * (manual, import, sync) wins over a rule's, because rules never remove those. The snapshot
 * keeps what the merge replaced, so an undo with nothing changed in between restores both
 * customers' rows exactly; rows changed since the merge stay as they are.
 */
import type { SnapshotRow } from './merges.repository.ts';

export interface MergePlan {
  /** Rows to write onto the survivor (new tags, and rule rows replaced by given ones). */
  survivorPuts: SnapshotRow[];
  /** The survivor's rows for tags both held, as they were. */
  survivorBefore: SnapshotRow[];
  /** Holder-count changes per tag (a tag both held loses one holder). */
  deltas: Map<string, number>;
}

export function planMerge(mergedRows: readonly SnapshotRow[], survivorRows: readonly SnapshotRow[]): MergePlan {
  const survivor = new Map(survivorRows.map((r) => [r.tagId, r]));
  const plan: MergePlan = { survivorPuts: [], survivorBefore: [], deltas: new Map() };
  for (const m of mergedRows) {
    const s = survivor.get(m.tagId);
    if (!s) {
      plan.survivorPuts.push(m);
      continue;
    }
    plan.survivorBefore.push(s);
    plan.deltas.set(m.tagId, -1);
    if (s.source === 'rule' && m.source !== 'rule') plan.survivorPuts.push(m);
  }
  return plan;
}

export interface UnmergePlan {
  /** The restored customer gets its rows of merge time back. */
  restoredPuts: SnapshotRow[];
  /** Survivor rows to put back as they were before the merge. */
  survivorPuts: SnapshotRow[];
  /** Tags the survivor only had through the merge and still holds unchanged. */
  survivorDeletes: string[];
  deltas: Map<string, number>;
}

/** The same row, as the merge moved it (rules may since have renewed its expiry). */
const unchanged = (current: SnapshotRow | undefined, moved: SnapshotRow) =>
  !!current && current.source === moved.source && current.addedBy === moved.addedBy && Date.parse(current.addedAt) === Date.parse(moved.addedAt);

export function planUnmerge(snapshot: { mergedRows: readonly SnapshotRow[]; survivorRows: readonly SnapshotRow[] }, survivorNow: readonly SnapshotRow[]): UnmergePlan {
  const before = new Map(snapshot.survivorRows.map((r) => [r.tagId, r]));
  const current = new Map(survivorNow.map((r) => [r.tagId, r]));
  const plan: UnmergePlan = { restoredPuts: [...snapshot.mergedRows], survivorPuts: [], survivorDeletes: [], deltas: new Map() };
  for (const m of snapshot.mergedRows) {
    let delta = 1;
    const had = before.get(m.tagId);
    if (unchanged(current.get(m.tagId), m)) {
      if (had) {
        // The merge replaced the survivor's row (when it was a rule's): put the old one back.
        if (!unchanged(had, m)) plan.survivorPuts.push(had);
      } else {
        plan.survivorDeletes.push(m.tagId);
        delta = 0;
      }
    }
    plan.deltas.set(m.tagId, delta);
  }
  return plan;
}
