import { useState } from 'react';
import { useRemote } from '../../app/useRemote.ts';

export interface Page<T, C> {
  items: T[];
  nextCursor: C | null;
}

export interface Paged<T> {
  items: T[];
  /** True while the first page for the current key loads. */
  loading: boolean;
  loadingMore: boolean;
  error: unknown;
  hasMore: boolean;
  loadMore(): Promise<void>;
  /** Loads the first page again and drops the pages loaded after it. */
  reload(): void;
}

interface More<T, C> {
  key: string;
  version: number;
  items: T[];
  cursor: C | null;
}

/**
 * Keyset paging: the first page is loaded for `key`, further pages on loadMore() with the
 * server's cursor. Only what the user asked to see is ever fetched.
 */
export function usePaged<T, C>(key: string | null, fetchPage: (cursor: C | null, signal?: AbortSignal) => Promise<Page<T, C>>): Paged<T> {
  const [version, setVersion] = useState(0);
  const first = useRemote(key, (signal) => fetchPage(null, signal));
  const [more, setMore] = useState<More<T, C> | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<{ key: string; error: unknown } | null>(null);
  const extra = more && more.key === key && more.version === version ? more : null;
  const cursor = extra ? extra.cursor : (first.data?.nextCursor ?? null);

  const loadMore = async () => {
    if (cursor === null || key === null) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await fetchPage(cursor);
      setMore({ key, version, items: [...(extra?.items ?? []), ...page.items], cursor: page.nextCursor });
    } catch (error) {
      setMoreError({ key, error });
    } finally {
      setLoadingMore(false);
    }
  };

  return {
    items: [...(first.data?.items ?? []), ...(extra?.items ?? [])],
    loading: first.loading,
    loadingMore,
    error: first.error ?? (moreError?.key === key ? moreError.error : undefined),
    hasMore: cursor !== null,
    loadMore,
    reload: () => {
      setVersion((v) => v + 1);
      first.reload();
    },
  };
}
