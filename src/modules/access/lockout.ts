/** Account lockout after repeated failed logins; counts live on the user row, so all API processes agree. */
export interface LockoutPolicy {
  maxFailures: number;
  lockMs: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { maxFailures: 5, lockMs: 15 * 60_000 };

export interface LockState {
  failedCount: number;
  lockedUntil: Date | null;
}

export function isLocked(state: LockState, now: Date): boolean {
  return state.lockedUntil !== null && state.lockedUntil.getTime() > now.getTime();
}

/** The state after one more failed attempt. */
export function afterFailure(state: LockState, now: Date, policy = DEFAULT_LOCKOUT): LockState {
  const failedCount = state.failedCount + 1;
  if (failedCount >= policy.maxFailures) {
    return { failedCount: 0, lockedUntil: new Date(now.getTime() + policy.lockMs) };
  }
  return { failedCount, lockedUntil: state.lockedUntil };
}
