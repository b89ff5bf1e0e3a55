import { describe, expect, it } from 'vitest';
import { testState } from '../../../tests/support/state.js';
import { useTempDirs } from '../../../tests/support/temp-dir.js';
import { serveSources } from './serve-sources.js';

const tempDir = useTempDirs();
const steer = async () => {
  throw new Error('not in this test');
};

describe('serveSources', () => {
  it('moves the cursor when a task is added (no event is written) and when the log grows', () => {
    const { state, clock } = testState(tempDir());
    const sources = serveSources({ store: state, fleet: null, clock, steer, refreshEveryMs: 1_000 });
    const first = sources.cursor();
    clock.advance(5_000);
    expect(sources.cursor()).toBe(first); // the local board: time alone changes nothing
    state.defineTask('a', { source: 'local', title: 'A', agent: null, priority: 0 });
    const added = sources.cursor();
    expect(added).not.toBe(first);
    state.setIgnored('a', 'test');
    expect(sources.cursor()).not.toBe(added);
    expect(sources.queue()).toEqual([]);
    state.clearIgnored('a');
    expect(sources.queue()).toEqual([{ id: 'a', title: 'A', priority: 0 }]);
    state.close();
  });

  it('on GitHub also moves it once per refresh period, so a watched fleet is re-read', () => {
    const { state, clock } = testState(tempDir());
    const read = async () => {
      throw new Error('not read here');
    };
    const sources = serveSources({
      store: state,
      fleet: { board: 'github', repository: 'a/b', read },
      clock,
      steer,
      refreshEveryMs: 1_000,
    });
    const first = sources.cursor();
    clock.advance(1_000);
    expect(sources.cursor()).not.toBe(first);
    expect(sources.queue()).toEqual([]); // the fleet document carries the claim order
    state.close();
  });
});
