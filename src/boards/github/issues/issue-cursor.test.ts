import { describe, expect, it } from 'vitest';
import { nextSince, pollIntervalOf, serverDate } from './issue-cursor.js';

const T = Date.UTC(2026, 0, 1, 12, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
/** `n` items updated `agoMs` before T. */
const items = (n: number, agoMs: number) => Array.from({ length: n }, () => iso(T - agoMs));

describe('nextSince', () => {
  const base = { since: undefined, overlapMs: 60_000, minDrop: 50 };

  it('moves to the server clock minus the overlap when that drops half a page or more', () => {
    // A burst of 1,000 issues an hour ago: the listing would re-read them every cycle.
    expect(nextSince({ ...base, updated: items(1000, 3_600_000), listedAt: T })).toBe(iso(T - 60_000));
  });

  it('stays while the move would drop less than half a page: the URL, and its ETag, are kept', () => {
    expect(nextSince({ ...base, updated: items(49, 3_600_000), listedAt: T })).toBeUndefined();
    const since = iso(T - 7_200_000);
    expect(nextSince({ ...base, since, updated: items(49, 3_600_000), listedAt: T })).toBe(since);
  });

  it('never passes an update inside the overlap (read lag), nor one in the same second', () => {
    // 60 items an hour ago, one updated 59.5 s before the listing, one in the very second of it.
    const updated = [...items(60, 3_600_000), iso(T - 59_500), iso(T)];
    const next = nextSince({ ...base, updated, listedAt: T + 400 });
    expect(next).toBe(iso(T - 60_000)); // whole seconds, rounded down: inclusive of both
    for (const u of updated.slice(60)) expect(Date.parse(u)).toBeGreaterThanOrEqual(Date.parse(next!));
  });

  it('never moves back (a server clock behind the cursor)', () => {
    const since = iso(T);
    expect(nextSince({ ...base, since, updated: items(80, 0), listedAt: T - 3_600_000 })).toBe(since);
  });

  it('without a server clock, measures from the newest update listed', () => {
    const updated = [...items(60, 3_600_000), iso(T)];
    expect(nextSince({ ...base, updated, listedAt: null })).toBe(iso(T - 60_000));
    expect(nextSince({ ...base, updated: [], listedAt: null })).toBeUndefined();
  });
});

describe('headers', () => {
  it('reads the Date header and X-Poll-Interval, ignoring what is malformed', () => {
    expect(serverDate({ date: new Date(T).toUTCString() })).toBe(T);
    expect(serverDate({})).toBeNull();
    expect(serverDate({ date: 'yesterday' })).toBeNull();
    expect(pollIntervalOf({ 'x-poll-interval': '60' })).toBe(60_000);
    expect(pollIntervalOf({ 'x-poll-interval': 5 })).toBe(5_000);
    expect(pollIntervalOf({})).toBeNull();
    expect(pollIntervalOf({ 'x-poll-interval': 'soon' })).toBeNull();
    expect(pollIntervalOf({ 'x-poll-interval': '0' })).toBeNull();
  });
});
