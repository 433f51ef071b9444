/**
 * Profile traits carried by events, orders and imports, and how several of them for one
 * customer combine within a batch. Pure.
 */
export type Gender = 'male' | 'female' | 'unknown';
export type ConsentStatus = 'granted' | 'denied';

export interface ProfileTraits {
  name?: string | undefined;
  nickname?: string | undefined;
  gender?: Gender | undefined;
  /** YYYY-MM-DD */
  birthday?: string | undefined;
  province?: string | undefined;
  city?: string | undefined;
  consent?: ConsentStatus | undefined;
  /** Set only when the customer has none yet: where they first came from. */
  sourceChannel?: string | undefined;
  sourceLure?: string | undefined;
}

/** What one batch changes on one customer: traits overwrite, contact fields only fill gaps. */
export interface ProfilePatch {
  name: string | null;
  nickname: string | null;
  gender: Gender | null;
  birthday: string | null;
  province: string | null;
  city: string | null;
  consent: ConsentStatus | null;
  consentAt: Date | null;
  sourceChannel: string | null;
  sourceLure: string | null;
  mobile: string | null;
  email: string | null;
  /** The earliest joining event of the batch: joined_at moves back to it. */
  joinedAt: Date | null;
}

export const EMPTY_PATCH: ProfilePatch = {
  name: null,
  nickname: null,
  gender: null,
  birthday: null,
  province: null,
  city: null,
  consent: null,
  consentAt: null,
  sourceChannel: null,
  sourceLure: null,
  mobile: null,
  email: null,
  joinedAt: null,
};

/** Folds one row's traits into the patch: later rows win, except consent, where the newer time wins. */
export function foldTraits(patch: ProfilePatch, traits: ProfileTraits | undefined, at: Date): ProfilePatch {
  if (!traits) return patch;
  const next = { ...patch };
  for (const key of ['name', 'nickname', 'gender', 'birthday', 'province', 'city'] as const) {
    const value = traits[key];
    if (value !== undefined && value !== '') (next as Record<string, unknown>)[key] = value;
  }
  if (traits.sourceChannel && !next.sourceChannel) next.sourceChannel = traits.sourceChannel;
  if (traits.sourceLure && !next.sourceLure) next.sourceLure = traits.sourceLure;
  if (traits.consent && (!next.consentAt || at >= next.consentAt)) {
    next.consent = traits.consent;
    next.consentAt = at;
  }
  return next;
}

/** Folds a joining event's time in: the earliest one wins. */
export function foldJoinedAt(patch: ProfilePatch, at: Date | undefined): ProfilePatch {
  if (!at || (patch.joinedAt && patch.joinedAt <= at)) return patch;
  return { ...patch, joinedAt: at };
}

export function isEmptyPatch(p: ProfilePatch): boolean {
  return Object.values(p).every((v) => v === null);
}
