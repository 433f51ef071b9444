import { useEffect, useState } from 'react';
import { ApiError } from '../../app/api/client.ts';
import { useSession } from '../../app/auth/useAuth.ts';
import { segmentsApi } from './api.ts';
import { isSendable, placeProblems, type NodeProblem } from './rule/tree.ts';
import type { Rule } from './rule/types.ts';
import type { PreviewResult } from './types.ts';

export const PREVIEW_DELAY_MS = 400;

export interface LivePreview {
  /** The count and sample of the rule as it is now, or of the last rule previewed while the next one loads. */
  result: PreviewResult | undefined;
  /** True from an edit until its preview is answered. */
  pending: boolean;
  /** Validation problems of the current rule, by node path key. */
  problems: ReadonlyMap<string, NodeProblem[]>;
  /** Any other failure (network, server). */
  error: unknown;
  sendable: boolean;
}

interface Answer {
  key: string;
  result?: PreviewResult;
  problems?: ReadonlyMap<string, NodeProblem[]>;
  error?: unknown;
}

const NONE: ReadonlyMap<string, NodeProblem[]> = new Map();

/** Previews the rule a moment after the last edit; an edit meanwhile cancels the request in flight. */
export function usePreview(rule: Rule, sampleSize = 8): LivePreview {
  const { workspace } = useSession();
  const body = JSON.stringify(rule);
  const key = `${workspace?.id ?? ''}:${sampleSize}:${body}`;
  const sendable = isSendable(rule);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [last, setLast] = useState<PreviewResult | undefined>(undefined);

  useEffect(() => {
    if (!sendable) return;
    const sent = JSON.parse(body) as Rule;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      segmentsApi.preview(sent, sampleSize, controller.signal).then(
        (result) => {
          if (controller.signal.aborted) return;
          setAnswer({ key, result });
          setLast(result);
        },
        (error: unknown) => {
          if (controller.signal.aborted) return;
          if (error instanceof ApiError && error.status === 400 && error.fieldDetails.length) setAnswer({ key, problems: placeProblems(sent, error.fieldDetails) });
          else setAnswer({ key, error });
        },
      );
    }, PREVIEW_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [key, body, sendable, sampleSize]);

  const current = answer?.key === key ? answer : null;
  return {
    result: current ? current.result : last,
    pending: sendable && !current,
    problems: current?.problems ?? NONE,
    error: current?.error,
    sendable,
  };
}
