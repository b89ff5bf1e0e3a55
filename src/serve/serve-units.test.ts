import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../state/event-log.js';
import { checkBinding, isLoopback } from './auth.js';
import { escapeHtml, html } from './html.js';
import { attemptsOf } from './task-detail.js';

const event = (id: number, type: EventRecord['type'], epoch: number, at: number): EventRecord => ({
  id,
  at,
  type,
  taskId: 't',
  ownerId: 'host/any',
  epoch,
  data: {},
});

describe('serve helpers', () => {
  it('knows loopback addresses and refuses any other without a token', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'])
      expect(isLoopback(host)).toBe(true);
    for (const host of ['0.0.0.0', '192.168.1.2', '::', 'example.com']) expect(isLoopback(host)).toBe(false);
    expect(() => checkBinding('0.0.0.0', undefined)).toThrow(/SERVE_HOST="0\.0\.0\.0".*set SERVE_TOKEN/);
    expect(() => checkBinding('0.0.0.0', 'a-long-enough-secret')).not.toThrow();
  });

  it('escapes every interpolated value, nested lists included', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const hostile = '<script>';
    expect(html`<p>${hostile}${[html`<b>${hostile}</b>`]}</p>`.text).toBe(
      '<p>&lt;script&gt;<b>&lt;script&gt;</b></p>',
    );
  });

  it('pairs each start with the ending of its epoch: outcome and duration', () => {
    const attempts = attemptsOf([
      event(1, 'claimed', 1, 0),
      event(2, 'started', 1, 1_000),
      event(3, 'failed', 1, 4_000),
      event(4, 'started', 2, 10_000),
      event(5, 'completed', 2, 12_500),
      event(6, 'started', 3, 20_000),
    ]);
    expect(attempts.map(({ epoch, outcome, durationMs }) => ({ epoch, outcome, durationMs }))).toEqual([
      { epoch: 1, outcome: 'failed', durationMs: 3_000 },
      { epoch: 2, outcome: 'completed', durationMs: 2_500 },
      { epoch: 3, outcome: null, durationMs: null },
    ]);
  });
});
