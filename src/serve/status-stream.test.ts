import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StatusStream } from './status-stream.js';

describe('StatusStream', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('polls once for all listeners, renders once per change, and does nothing without listeners', async () => {
    let cursor = 1;
    let cursorReads = 0;
    let renders = 0;
    const stream = new StatusStream({
      cursor: () => {
        cursorReads++;
        return String(cursor);
      },
      frame: async () => ({ render: ++renders }),
      pollMs: 500,
    });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(cursorReads).toBe(0); // nobody listening: not even a read

    const got: string[][] = [[], [], []];
    const unsubscribe = got.map((list) => stream.subscribe((json) => list.push(json)));
    await vi.advanceTimersByTimeAsync(500);
    const readsPerTick = cursorReads - 1; // the first subscribe read the starting cursor
    expect(readsPerTick).toBe(1); // one poll for three watchers
    expect(renders).toBe(0); // nothing changed

    cursor = 2;
    await vi.advanceTimersByTimeAsync(500);
    expect(renders).toBe(1);
    expect(got).toEqual([['{"render":1}'], ['{"render":1}'], ['{"render":1}']]);

    for (const off of unsubscribe) off();
    const readsAfter = cursorReads;
    cursor = 3;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(cursorReads).toBe(readsAfter); // the poll stopped with the last watcher
    expect(stream.watchers).toBe(0);
  });

  it('reports a failed render and keeps streaming', async () => {
    let cursor = 1;
    let fail = true;
    const errors: unknown[] = [];
    const stream = new StatusStream({
      cursor: () => String(cursor),
      frame: async () => {
        if (fail) throw new Error('board unreachable');
        return { ok: true };
      },
      pollMs: 100,
      onError: (error) => errors.push(error),
    });
    const got: string[] = [];
    const off = stream.subscribe((json) => got.push(json));
    cursor = 2;
    await vi.advanceTimersByTimeAsync(100);
    expect(errors).toHaveLength(1);
    fail = false;
    cursor = 3;
    await vi.advanceTimersByTimeAsync(100);
    expect(got).toEqual(['{"ok":true}']);
    off();
  });
});
