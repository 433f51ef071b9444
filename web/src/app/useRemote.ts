import { useCallback, useEffect, useEffectEvent, useState } from 'react';

export interface Remote<T> {
  data: T | undefined;
  error: unknown;
  /** True while the data for the current key is being fetched; on reload the old data stays visible. */
  loading: boolean;
  reload(): void;
}

interface Loaded<T> {
  key: string;
  version: number;
  data?: T;
  error?: unknown;
}

/**
 * Loads data for `key`, again when the key changes or on reload(); a null key loads
 * nothing. Put everything the request depends on, such as the workspace id, in the key.
 */
export function useRemote<T>(key: string | null, fetcher: (signal: AbortSignal) => Promise<T>): Remote<T> {
  const [version, setVersion] = useState(0);
  const [loaded, setLoaded] = useState<Loaded<T> | null>(null);
  const fetchNow = useEffectEvent((signal: AbortSignal) => fetcher(signal));

  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    fetchNow(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setLoaded({ key, version, data });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setLoaded((prev) => ({ key, version, ...(prev?.key === key && prev.data !== undefined ? { data: prev.data } : {}), error }));
      },
    );
    return () => controller.abort();
  }, [key, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const sameKey = loaded !== null && loaded.key === key;
  const current = sameKey && loaded.version === version;
  return {
    data: sameKey ? loaded.data : undefined,
    error: current ? loaded.error : undefined,
    loading: key !== null && !current,
    reload,
  };
}
