import { useEffect, useState } from 'react';
import { journeysApi } from '../api.ts';
import type { Issue, JourneyDefinition } from '../types.ts';
import { withoutUi } from './definition.ts';

interface Checked {
  key: string;
  def: JourneyDefinition;
  issues: Issue[];
  failed: boolean;
}

export interface Validation {
  issues: Issue[];
  /** The definition the issues were answered on (their `steps[i]` indices are into it). */
  checked: JourneyDefinition | null;
  /** True until the server has answered for the definition as it is now. */
  pending: boolean;
  /** The check could not be made (network, server); issues are those of the last answer. */
  failed: boolean;
}

/** Checks the definition with the server shortly after each change (positions aside). */
export function useValidation(def: JourneyDefinition, enabled: boolean): Validation {
  const key = JSON.stringify(withoutUi(def));
  const [checked, setChecked] = useState<Checked | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    let retry: ReturnType<typeof setTimeout> | undefined;
    const timer = setTimeout(() => {
      journeysApi.validate(JSON.parse(key), controller.signal).then(
        (r) => setChecked({ key, def: JSON.parse(key) as JourneyDefinition, issues: r.issues, failed: false }),
        () => {
          if (controller.signal.aborted) return;
          setChecked((prev) => (prev ? { ...prev, key, failed: true } : { key, def: JSON.parse(key) as JourneyDefinition, issues: [], failed: true }));
          retry = setTimeout(() => setAttempt((a) => a + 1), 3000);
        },
      );
    }, 300);
    return () => {
      clearTimeout(timer);
      clearTimeout(retry);
      controller.abort();
    };
  }, [key, enabled, attempt]);
  return { issues: checked?.issues ?? [], checked: checked?.def ?? null, pending: enabled && checked?.key !== key, failed: checked?.key === key && checked.failed };
}
