import { useEffect, useState } from 'react';
import { journeysApi } from '../api.ts';
import type { Issue, JourneyDefinition } from '../types.ts';
import { withoutUi } from './definition.ts';

interface Checked {
  key: string;
  issues: Issue[];
  failed: boolean;
}

export interface Validation {
  issues: Issue[];
  /** True until the server has answered for the definition as it is now. */
  pending: boolean;
  /** The check could not be made (network, server); issues are those of the last answer. */
  failed: boolean;
}

/** Checks the definition with the server shortly after each change (positions aside). */
export function useValidation(def: JourneyDefinition, enabled: boolean): Validation {
  const key = JSON.stringify(withoutUi(def));
  const [checked, setChecked] = useState<Checked | null>(null);
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      journeysApi.validate(JSON.parse(key), controller.signal).then(
        (r) => setChecked({ key, issues: r.issues, failed: false }),
        () => {
          if (!controller.signal.aborted) setChecked((prev) => ({ key, issues: prev?.issues ?? [], failed: true }));
        },
      );
    }, 300);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [key, enabled]);
  return { issues: checked?.issues ?? [], pending: enabled && checked?.key !== key, failed: checked?.key === key && checked.failed };
}
