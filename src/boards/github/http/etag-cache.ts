/**
 * The persisted ETag cache behind every GET. A conditional GET answered 304 costs no primary
 * rate limit; persisting the entries in the state database means a restarted daemon still gets
 * 304s.
 */
import type { KeyValueStore } from '../../../state/kv-store.js';

export const ETAG_NAMESPACE = 'etag';

/** What a 304 stands for: the body and the headers a caller can need (`link` for paginate). */
export interface CacheEntry {
  url: string;
  etag: string;
  data: unknown;
  link?: string;
}

/**
 * Method + URL with its query, minus `since`, with parameters sorted. Without `since` a moving
 * cursor overwrites its own slot instead of leaving one orphaned entry (a page of issues) per
 * position; the entry keeps the exact URL and is only replayed for that URL (see `read`).
 */
export function cacheKey(method: string, url: string): string {
  const parsed = new URL(url);
  parsed.searchParams.delete('since');
  parsed.searchParams.sort();
  return `${method.toUpperCase()} ${parsed.toString()}`;
}

export class EtagCache {
  constructor(private readonly store: KeyValueStore) {}

  /** The entry for exactly this URL, if any (a malformed entry is dropped). */
  read(key: string, url: string): CacheEntry | undefined {
    const raw = this.store.get(ETAG_NAMESPACE, key);
    if (raw === undefined) return undefined;
    try {
      const entry = JSON.parse(raw) as CacheEntry;
      if (typeof entry.etag !== 'string' || entry.url !== url) return undefined;
      return entry;
    } catch {
      this.store.delete(ETAG_NAMESPACE, key);
      return undefined;
    }
  }

  write(key: string, entry: CacheEntry): void {
    this.store.set(ETAG_NAMESPACE, key, JSON.stringify(entry));
  }
}

/** Header that marks a response replayed from the cache after a 304. */
export const CACHE_HEADER = 'x-codex-monitor-cache';

/**
 * A 304 turned back into the 200 it stands for: the cached body and `link`, with the fresh
 * headers of the 304 (rate-limit counters, date). Callers and `octokit.paginate` never see the 304.
 */
export function replay(entry: CacheEntry, fresh: Record<string, string | number | undefined> | undefined) {
  const headers: Record<string, string | number | undefined> = { ...fresh, etag: entry.etag };
  headers[CACHE_HEADER] = 'hit';
  if (entry.link === undefined) delete headers.link;
  else headers.link = entry.link;
  return { status: 200, url: entry.url, headers, data: entry.data, retryCount: 0 };
}
