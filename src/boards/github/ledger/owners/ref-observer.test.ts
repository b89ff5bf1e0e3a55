import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../core/clock.js';
import { RefObserver } from './ref-observer.js';

const REF = 'refs/codex-monitor/owners/a';

function seen(observer: RefObserver, clock: ManualClock, sha: string) {
  observer.observe(REF, sha, clock.monotonic(), clock.monotonic());
}

describe('RefObserver (staleness on the observer’s own monotonic clock)', () => {
  it('calls a ref stale only after seeing it unchanged for the full threshold', () => {
    const clock = new ManualClock();
    const observer = new RefObserver(clock, 1000);
    expect(observer.isStale(REF)).toBe(false); // never seen: unknown, not stale
    seen(observer, clock, 'a1');
    clock.advance(999);
    seen(observer, clock, 'a1');
    expect(observer.isStale(REF)).toBe(false);
    clock.advance(1);
    seen(observer, clock, 'a1');
    expect(observer.isStale(REF)).toBe(true);
    expect(observer.unchangedForMs(REF)).toBe(1000);
  });

  it('counts only time proven by a read: no read since, no silence', () => {
    const clock = new ManualClock();
    const observer = new RefObserver(clock, 1000);
    seen(observer, clock, 'a1');
    clock.advance(5000);
    expect(observer.isStale(REF)).toBe(false);
    expect(observer.seenForMs(REF)).toBe(5000); // for backoffs: time since first sight
  });

  it('restarts the count when the sha changes, and a request sent before that is ignored', () => {
    const clock = new ManualClock();
    const observer = new RefObserver(clock, 1000);
    seen(observer, clock, 'a1');
    clock.advance(2000);
    const sentEarly = clock.monotonic();
    clock.advance(10);
    observer.wrote(REF, 'a2');
    clock.advance(10);
    observer.observe(REF, 'a1', sentEarly, clock.monotonic()); // a slow listing from before our write
    expect(observer.sha(REF)).toBe('a2');
    expect(observer.unchangedForMs(REF)).toBe(0);
  });

  it('forgets refs a listing no longer contains, but not ones written after it was sent', () => {
    const clock = new ManualClock();
    const observer = new RefObserver(clock, 1000);
    seen(observer, clock, 'a1');
    clock.advance(5);
    const sent = clock.monotonic();
    clock.advance(5);
    observer.wrote('refs/codex-monitor/tasks/1', 't1');
    observer.observeListing('refs/codex-monitor/', new Map(), sent, clock.monotonic());
    expect(observer.sha(REF)).toBeUndefined();
    expect(observer.sha('refs/codex-monitor/tasks/1')).toBe('t1');
  });

  it('ignores wall-clock changes entirely', () => {
    const clock = new ManualClock();
    const observer = new RefObserver(clock, 1000);
    seen(observer, clock, 'a1');
    clock.skewWall(3_600_000);
    seen(observer, clock, 'a1');
    expect(observer.isStale(REF)).toBe(false);
  });
});
