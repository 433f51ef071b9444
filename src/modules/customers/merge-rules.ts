/** What a merge changes on the surviving customer's profile, and how an undo restores it. Pure. */

/** Profile fields a merge may fill on the survivor when the survivor's own value is empty. */
export const FILLABLE_FIELDS = [
  'name',
  'nickname',
  'birthday',
  'province',
  'city',
  'mobile',
  'email',
  'source_channel',
  'source_lure',
  'owner_user_id',
] as const;

export type ProfileJson = Record<string, unknown>;

const isEmpty = (v: unknown) => v === null || v === undefined || v === '';

/**
 * The survivor's fields after absorbing `merged`: empty fields are filled, 'unknown'
 * gender and consent take the merged customer's known value, joined_at takes the earlier
 * time, and custom attributes the survivor lacks are added. Returns only what changes.
 */
export function planProfileFill(survivor: ProfileJson, merged: ProfileJson): ProfileJson {
  const changes: ProfileJson = {};
  for (const field of FILLABLE_FIELDS) {
    if (isEmpty(survivor[field]) && !isEmpty(merged[field])) changes[field] = merged[field];
  }
  if (survivor.gender === 'unknown' && merged.gender !== 'unknown' && !isEmpty(merged.gender)) changes.gender = merged.gender;
  if (survivor.consent_status === 'unknown' && merged.consent_status !== 'unknown' && !isEmpty(merged.consent_status)) {
    changes.consent_status = merged.consent_status;
    changes.consent_updated_at = merged.consent_updated_at;
  }
  const joinedA = survivor.joined_at ? Date.parse(String(survivor.joined_at)) : null;
  const joinedB = merged.joined_at ? Date.parse(String(merged.joined_at)) : null;
  if (joinedB !== null && (joinedA === null || joinedB < joinedA)) changes.joined_at = merged.joined_at;
  const attrsA = (survivor.attributes ?? {}) as Record<string, unknown>;
  const attrsB = (merged.attributes ?? {}) as Record<string, unknown>;
  const added = Object.keys(attrsB).filter((k) => !(k in attrsA));
  if (added.length) changes.attributes = { ...attrsB, ...attrsA };
  return changes;
}

/** The survivor's values before `changes`, so an undo can put them back. */
export function valuesBefore(survivor: ProfileJson, changes: ProfileJson): ProfileJson {
  return Object.fromEntries(Object.keys(changes).map((k) => [k, survivor[k] ?? null]));
}

/** Fields an undo may write: the fillable ones and the special cases above. */
export const RESTORABLE_FIELDS = new Set<string>([...FILLABLE_FIELDS, 'gender', 'consent_status', 'consent_updated_at', 'joined_at', 'attributes']);

/** A customer as a merge sees it: its profile (row as JSON) and the identities it holds. */
export interface MergeSubject {
  id: number;
  mergedInto: number | null;
  profile: ProfileJson;
  identityIds: number[];
}

export interface PlannedMergeStep {
  fromId: number;
  toId: number;
  /** What an undo needs: the merged customer's identities and profile, the survivor's changed fields before. */
  snapshot: { identityIds: number[]; merged: ProfileJson; survivorBefore: ProfileJson };
  changedFields: string[];
}

export type MergeRefusal = { reason: 'self' | 'not_found' | 'already_merged'; fromId: number; toId: number; mergedInto?: number | null };

/**
 * Several merges applied in order, as if one after another (a survivor may itself be merged
 * later in the same list): each step's snapshot, every customer's final state, and where
 * each merged customer's rows end up (the last survivor of its chain). Pure.
 */
export function planMergeSequence(subjects: readonly MergeSubject[], requests: readonly { fromId: number; toId: number }[]) {
  const state = new Map(subjects.map((s) => [s.id, { ...s, profile: { ...s.profile }, identityIds: [...s.identityIds], touched: false }]));
  const steps: PlannedMergeStep[] = [];
  for (const { fromId, toId } of requests) {
    const from = state.get(fromId);
    const to = state.get(toId);
    if (fromId === toId) return { refusal: { reason: 'self', fromId, toId } as MergeRefusal };
    if (!from || !to) return { refusal: { reason: 'not_found', fromId, toId } as MergeRefusal };
    if (from.mergedInto !== null || to.mergedInto !== null) return { refusal: { reason: 'already_merged', fromId, toId, mergedInto: from.mergedInto ?? to.mergedInto } as MergeRefusal };
    const changes = planProfileFill(to.profile, from.profile);
    steps.push({ fromId, toId, snapshot: { identityIds: from.identityIds, merged: from.profile, survivorBefore: valuesBefore(to.profile, changes) }, changedFields: Object.keys(changes) });
    to.profile = { ...to.profile, ...changes };
    to.identityIds = [...to.identityIds, ...from.identityIds].sort((a, b) => a - b);
    to.touched = true;
    from.mergedInto = toId;
    from.identityIds = [];
    from.touched = true;
  }
  const finalOf = (id: number) => {
    let r = id;
    for (let s = state.get(r); s && s.mergedInto !== null; s = state.get(r)) r = s.mergedInto;
    return r;
  };
  const moves = requests.map((r) => ({ from: r.fromId, to: finalOf(r.fromId) }));
  const finals = [...state.values()].filter((s) => s.touched).map((s) => ({ id: s.id, mergedInto: s.mergedInto, profile: s.profile }));
  return { steps, moves, finals };
}
