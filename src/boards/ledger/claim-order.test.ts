import { describe, expect, it } from 'vitest';
import { spreadOut } from './claim-order.js';

describe('spreadOut', () => {
  const list = Array.from({ length: 30 }, (_, i) => ({ n: i + 1, priority: i < 28 ? 0 : -1 }));

  it('keeps every candidate, rotates only the top band, and leaves lower priorities last', () => {
    const spread = spreadOut(list, 'ws1/codex');
    expect([...spread].sort((a, b) => a.n - b.n)).toEqual(list);
    expect(spread.slice(-6).map((c) => c.n)).toEqual([25, 26, 27, 28, 29, 30]);
  });

  it('sends owners with near-identical ids to different starting points', () => {
    const starts = new Set(
      ['ws1/codex', 'ws2/codex', 'ws3/codex', 'ws4/codex'].map((o) => spreadOut(list, o)[0]!.n),
    );
    expect(starts.size).toBeGreaterThan(2);
  });
});
