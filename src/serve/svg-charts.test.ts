import { describe, expect, it } from 'vitest';
import { QueueSamples, queueDepthOf } from './queue-samples.js';
import { barChart, hbarChart, lineChart, niceDurationMax, niceMax } from './svg-charts.js';

const HOSTILE = '</title><script>alert(1)</script>"\'&';
const ESCAPED = '&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;';
const count = (text: string, part: string) => text.split(part).length - 1;

describe('SVG charts', () => {
  it('escape hostile labels, series names and titles everywhere (bars, lines, horizontal bars)', () => {
    const charts = [
      barChart({
        label: HOSTILE,
        categories: [HOSTILE, 'b'],
        series: [
          { name: HOSTILE, color: '#123456', values: [1, 2] },
          { name: 'other', color: '#654321', values: [3, 0] },
        ],
        yLabel: HOSTILE,
      }).text,
      lineChart({
        label: HOSTILE,
        domain: [0, 10],
        x: [0, 5, 10],
        xFormat: () => HOSTILE,
        series: [{ name: HOSTILE, color: '#123456', values: [1, null, 3] }],
        yLabel: HOSTILE,
      }).text,
      hbarChart(HOSTILE, [{ label: HOSTILE, value: 3, of: 10, text: HOSTILE }]).text,
    ];
    for (const svg of charts) {
      expect(svg).not.toContain('<script>');
      expect(svg).not.toContain('</title><script');
      expect(svg).toContain(ESCAPED);
      expect(svg).toMatch(/^<svg role="img" aria-label="&lt;\/title&gt;/);
    }
  });

  it('gives every bar segment and every point its own <title> tooltip', () => {
    const bars = barChart({
      label: 'completions',
      categories: ['10:00', '11:00', '12:00'],
      series: [{ name: 'completed', color: '#228833', values: [2, 0, 5] }],
      yLabel: 'completed',
    }).text;
    expect(count(bars, '<rect x=')).toBe(2); // a zero draws nothing
    expect(bars).toContain('<title>10:00: 2</title>');
    expect(bars).toContain('<title>12:00: 5</title>');
    const line = lineChart({
      label: 'durations',
      domain: [0, 3],
      x: [0, 1, 2, 3],
      xFormat: (v) => `h${v}`,
      series: [{ name: 'p50', color: '#4477aa', values: [1_000, null, 2_000, 3_000] }],
      yLabel: 'ms',
    }).text;
    expect(count(line, '<circle')).toBe(3);
    expect(count(line, '<polyline')).toBe(1); // the gap breaks the line; a lone point has no segment
    expect(line).toContain('<title>h2: p50 2000</title>');
  });

  it('ends the value axis on a round number', () => {
    expect([0, 1, 3, 7, 11, 240, 260].map(niceMax)).toEqual([1, 1, 5, 10, 20, 250, 500]);
    // Durations end on whole seconds, minutes or hours (the half-way tick too).
    const s = 1000;
    expect([0, 1_500, 50 * s, 9 * 60 * s, 100 * 60 * s].map(niceDurationMax)).toEqual([
      2 * s,
      2 * s,
      60 * s,
      10 * 60 * s,
      2 * 3600 * s,
    ]);
  });
});

describe('queue depth samples', () => {
  it('read the depth of either board, keep a bounded ring, and merge a burst into one point', () => {
    expect(queueDepthOf({ board: 'github', queue: [{}, {}] })).toBe(2);
    expect(queueDepthOf({ totals: { ready: 4 } })).toBe(4);
    expect(queueDepthOf({ board: 'github', unreadable: 'rate limited' })).toBeNull();
    const samples = new QueueSamples(3, 1_000);
    expect(samples.since(0)).toEqual({ sampledSince: null, samples: [] });
    samples.record(0, { totals: { ready: 1 } });
    samples.record(500, { totals: { ready: 2 } }); // within the gap: replaces the depth
    samples.record(5_000, { board: 'github', unreadable: 'x' }); // no depth: skipped
    for (const at of [2_000, 3_000, 4_000]) samples.record(at, { totals: { ready: at / 1_000 } });
    expect(samples.since(0)).toEqual({
      sampledSince: 0,
      samples: [
        { at: 2_000, depth: 2 },
        { at: 3_000, depth: 3 },
        { at: 4_000, depth: 4 },
      ],
    });
    expect(samples.since(3_000).samples).toHaveLength(2);
  });
});
