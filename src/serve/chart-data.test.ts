import { describe, expect, it } from 'vitest';
import { testState } from '../../tests/support/state.js';
import { useTempDirs } from '../../tests/support/temp-dir.js';
import type { EventRecord, NewEvent } from '../state/event-log.js';
import { chartWindow, HOUR_MS, hourBuckets, percentile, readWindowEvents } from './chart-data.js';

const tempDir = useTempDirs();
const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;

let nextId = 1;
const ev = (
  type: EventRecord['type'],
  at: number,
  taskId: string,
  epoch: number,
  data: Record<string, unknown> = {},
): EventRecord => ({ id: nextId++, at, type, taskId, ownerId: 'ws/any', epoch, data });

describe('the charts window', () => {
  it('defaults to 24 hours ending now, the first bucket on an hour boundary', () => {
    const now = T0 + 30 * HOUR_MS + 20 * MIN;
    expect(chartWindow(undefined, now)).toEqual({ hours: 24, from: T0 + 7 * HOUR_MS, to: now });
    expect(chartWindow('1', now)).toEqual({ hours: 1, from: T0 + 30 * HOUR_MS, to: now });
    expect(chartWindow('168', now).hours).toBe(168);
  });

  it('refuses anything but a whole number from 1 to 168, naming the value', () => {
    for (const bad of ['0', '169', '-1', '1.5', 'abc', '', '99999']) {
      expect(() => chartWindow(bad, T0)).toThrow(
        `hours=${JSON.stringify(bad)} is not a whole number of hours from 1 to 168`,
      );
    }
  });
});

describe('percentiles by nearest rank', () => {
  it('are null without samples, the sample itself with one, and ranks otherwise', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([7], 50)).toBe(7);
    expect(percentile([7], 95)).toBe(7);
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 95)).toBe(4);
  });
});

describe('hourly buckets', () => {
  const window = chartWindow('3', T0 + 2 * HOUR_MS + 30 * MIN); // buckets at T0, T0+1h, T0+2h

  it('are all zero (and without durations) for an empty window', () => {
    const buckets = hourBuckets([], window);
    expect(buckets.map((b) => b.start)).toEqual([T0, T0 + HOUR_MS, T0 + 2 * HOUR_MS]);
    for (const b of buckets) {
      expect(Object.values(b.outcomes).every((n) => n === 0)).toBe(true);
      expect(b.durations).toEqual({ count: 0, p50Ms: null, p95Ms: null });
    }
  });

  it('count outcomes by the hour they happened and durations by the hour the attempt ended', () => {
    const events = [
      ev('started', T0 + 5 * MIN, 'a', 1),
      ev('started', T0 + 6 * MIN, 'b', 1), // interleaved with a: paired by task, not by order
      ev('completed', T0 + 15 * MIN, 'b', 1),
      ev('failed', T0 + 65 * MIN, 'a', 1),
      ev('poisoned', T0 + 65 * MIN, 'a', 1),
      ev('started', T0 + 70 * MIN, 'c', 4),
      ev('abandoned', T0 + 71 * MIN, 'c', 4, { error: 'self-fenced: heartbeat lapsed' }),
      ev('started', T0 + 130 * MIN, 'd', 2), // still running: no duration
    ];
    const [first, second, third] = hourBuckets(events, window);
    expect(first?.outcomes).toMatchObject({ completed: 1, failed: 0 });
    expect(first?.durations).toEqual({ count: 1, p50Ms: 9 * MIN, p95Ms: 9 * MIN }); // one sample
    expect(second?.outcomes).toMatchObject({ failed: 1, poisoned: 1, 'self-fenced': 1, abandoned: 0 });
    expect(second?.durations).toEqual({ count: 2, p50Ms: 1 * MIN, p95Ms: 60 * MIN });
    expect(third?.durations.count).toBe(0);
  });
});

describe('reading a window from the event log', () => {
  it('finds the start of an attempt that began before the window, so its duration is whole', () => {
    const { state, clock } = testState(tempDir());
    const at = (ms: number, e: NewEvent) => {
      clock.advance(ms - clock.now());
      state.events.append(e);
    };
    at(T0 + 30 * MIN, { type: 'started', taskId: 'long', epoch: 3 });
    at(T0 + 40 * MIN, { type: 'started', taskId: 'old', epoch: 1 });
    at(T0 + 50 * MIN, { type: 'completed', taskId: 'old', epoch: 1 }); // before the window: not counted
    at(T0 + 3 * HOUR_MS + 10 * MIN, { type: 'completed', taskId: 'long', epoch: 3 });
    at(T0 + 3 * HOUR_MS + 20 * MIN, { type: 'heartbeat', ownerId: 'ws/any' }); // not a chart event
    const window = chartWindow('2', clock.now()); // from T0+2h
    const events = readWindowEvents(state.events, window);
    expect(events.map((e) => `${e.type} ${e.taskId}`)).toEqual(['started long', 'completed long']);
    const last = hourBuckets(events, window).at(-1);
    expect(last?.outcomes.completed).toBe(1);
    expect(last?.durations).toEqual({ count: 1, p50Ms: 160 * MIN, p95Ms: 160 * MIN });
    state.close();
  });
});
