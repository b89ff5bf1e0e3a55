/**
 * Where the incremental listing's `since` stands, and when it moves. Two costs pull against
 * each other: a `since` left behind makes every idle cycle re-read a growing window (at 1,000
 * issues once opened in a burst, eleven pages every cycle), while a `since` moved on every
 * cycle changes the URL, and a new URL has no ETag — each cycle would cost a full-price 200.
 * So it moves seldom, and far: to what the server's clock proves seen, when that drops at least
 * half a page from the listing.
 */
import type { ResponseHeaders } from '../http/index.js';

/** Namespace of the persisted `since` in the kv table (key: `<owner>/<repo>:since`). */
export const CURSOR_NAMESPACE = 'issue-cursor';

/** Drops the milliseconds: GitHub's timestamps have whole seconds. */
export const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface SinceInput {
  /** The `since` the listing was made with (undefined: everything). */
  since: string | undefined;
  /** `updated_at` of every item the listing returned. */
  updated: readonly string[];
  /** The server's clock when the listing began (its first page's `Date`), or null when unknown. */
  listedAt: number | null;
  /** The longest a read may lag a write (GitHub's lists lag; cached answers live 60 s). */
  overlapMs: number;
  /** How many listed items a move must drop to be worth the fresh request it costs. */
  minDrop: number;
}

/**
 * The `since` for the next listing (the same value when it should stay).
 *
 * Safe because an update made at T is visible from T + lag on, with lag ≤ overlap: the listing
 * that began at `listedAt` saw every update made before `listedAt − overlap`, so nothing older
 * needs listing again. The bound is whole seconds and `since` is inclusive (≥), so an update
 * that ties with the last one seen, within one second, is listed again rather than dropped.
 * Without a server clock the newest `updated_at` listed stands in for it (it was visible, so
 * the listing began after it). Never moves back.
 */
export function nextSince(input: SinceInput): string | undefined {
  const { since, updated, overlapMs, minDrop } = input;
  let reference = input.listedAt;
  if (reference === null) {
    for (const u of updated) reference = Math.max(reference ?? 0, Date.parse(u));
  }
  if (reference === null || !Number.isFinite(reference)) return since;
  const target = Math.floor((reference - overlapMs) / 1000) * 1000;
  if (since !== undefined && target <= Date.parse(since)) return since;
  const dropped = updated.filter((u) => Date.parse(u) < target).length;
  return dropped >= minDrop ? isoSeconds(target) : since;
}

/** The server's clock from an answer's `Date` header, or null. */
export function serverDate(headers: ResponseHeaders): number | null {
  const ms = Date.parse(String(headers.date ?? ''));
  return Number.isFinite(ms) ? ms : null;
}

/**
 * GitHub's `X-Poll-Interval` (seconds) as milliseconds: how long it asks clients to wait before
 * polling again. Null when absent or malformed.
 */
export function pollIntervalOf(headers: ResponseHeaders): number | null {
  const raw = headers['x-poll-interval'];
  if (raw === undefined) return null;
  const seconds = Number(raw);
  return Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : null;
}
