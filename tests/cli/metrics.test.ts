/**
 * `/metrics` on the local board: a real `run --until-idle` (one task completes, one fails into
 * poison, one waits on it), then a scrape over real HTTP parsed by a Prometheus text-format
 * parser. The attempt and claim counters equal the event log's counts by type; the gauges show
 * the board; a later scrape counts only what is new, and a fresh registry (a restart) counts it all.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics, localSources } from '../../src/observe/metrics/index.js';
import type { EventType } from '../../src/state/event-log.js';
import type { SharedState } from '../../src/state/shared-state.js';
import { runCli } from '../support/cli.js';
import { fastEnv, openTestState, writeDag } from '../support/daemons.js';
import { scrape, serveMetrics } from '../support/metrics-server.js';
import { parseMetrics, sample } from '../support/prometheus-text.js';

const dir = mkdtempSync(join(tmpdir(), 'codex-monitor-test-'));
let store: SharedState;
const closers: (() => Promise<void> | void)[] = [];

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  rmSync(dir, { recursive: true, force: true });
});

beforeAll(async () => {
  const env = fastEnv(dir, { SHARED_STATE_MAX_RETRIES: '2' });
  const dag = writeDag(
    dir,
    [{ id: 'ok' }, { id: 'bad', cmd: 'node -e "process.exit(3)"' }, { id: 'after', deps: ['bad'] }],
    join(dir, 'markers.jsonl'),
  );
  expect((await runCli(['tasks', 'seed', dag], { env })).code).toBe(0);
  const run = await runCli(['run', '--until-idle', '--owner', 'w1'], { env });
  expect(run.code, run.stderr).toBe(1); // a poisoned task ends the run with 1
  store = openTestState(dir);
  closers.push(() => store.close());
}, 60_000);

const count = (type: EventType) => store.events.query({ types: [type] }).length;

async function scrapeOf(metrics: ReturnType<typeof createMetrics>) {
  const server = await serveMetrics(metrics.registry);
  try {
    const answer = await scrape(server.url);
    expect(answer.status).toBe(200);
    expect(answer.contentType).toContain('text/plain');
    return parseMetrics(answer.text);
  } finally {
    await server.close();
  }
}

describe('metrics from the local board (real run, real HTTP)', () => {
  it('the attempt and claim counters equal the event log by type, the gauges show the board', async () => {
    const parsed = await scrapeOf(createMetrics(localSources(store)));
    const attempts = (outcome: string) => sample(parsed, 'codex_monitor_attempts_total', { outcome });
    expect(count('completed')).toBe(1);
    expect(count('failed')).toBe(2);
    expect(attempts('completed')).toBe(count('completed'));
    expect(attempts('failed')).toBe(count('failed'));
    expect(attempts('abandoned')).toBe(count('abandoned'));
    expect(attempts('fenced')).toBe(count('fenced'));
    expect(attempts('self-fenced')).toBe(0);
    expect(sample(parsed, 'codex_monitor_claims_total', { result: 'won' })).toBe(count('claimed'));
    expect(sample(parsed, 'codex_monitor_claims_total', { result: 'conflict' })).toBe(count('conflict'));
    expect(sample(parsed, 'codex_monitor_claims_total', { result: 'claim-lost' })).toBe(count('claim-lost'));
    expect(count('claimed')).toBe(3);
    expect(sample(parsed, 'codex_monitor_poisoned_tasks')).toBe(1);
    expect(sample(parsed, 'codex_monitor_blocked_tasks')).toBe(1);
    expect(sample(parsed, 'codex_monitor_queue_tasks')).toBe(0);
    expect(sample(parsed, 'codex_monitor_running_tasks')).toBe(0);
    const families = parsed.map((f) => f.name);
    expect(families).toContain('codex_monitor_ledger_cas_conflicts_total');
    expect(families).toContain('codex_monitor_heartbeat_age_seconds');
  });

  it('a later scrape counts only new events; a fresh registry (a restart) counts the whole log', async () => {
    const metrics = createMetrics(localSources(store));
    const first = await scrapeOf(metrics);
    store.events.append({ type: 'completed', taskId: 'ok', ownerId: 'w2', epoch: 9 });
    store.events.append({
      type: 'abandoned',
      taskId: 'ok',
      ownerId: 'w2',
      data: { error: 'self-fenced: no heartbeat for 2100 ms' },
    });
    store.events.append({ type: 'abandoned', taskId: 'ok', ownerId: 'w2', data: { error: 'shutdown' } });
    const second = await scrapeOf(metrics);
    const again = await scrapeOf(metrics);
    const restarted = await scrapeOf(createMetrics(localSources(store)));
    const of = (parsed: typeof first, outcome: string) =>
      sample(parsed, 'codex_monitor_attempts_total', { outcome });
    expect(of(second, 'completed')).toBe((of(first, 'completed') ?? 0) + 1);
    expect(of(second, 'self-fenced')).toBe(1);
    expect(of(second, 'abandoned')).toBe((of(first, 'abandoned') ?? 0) + 1);
    // self-fenced and abandoned together are the log's abandoned events
    expect((of(second, 'abandoned') ?? 0) + (of(second, 'self-fenced') ?? 0)).toBe(count('abandoned'));
    // Counters only: a heartbeat gauge may age between scrapes.
    const counters = (parsed: typeof first) =>
      parsed.filter((f) => f.type === 'COUNTER' && /^codex_monitor_(attempts|claims)/.test(f.name));
    expect(counters(again)).toEqual(counters(second));
    expect(counters(restarted)).toEqual(counters(second));
    expect(counters(second).length).toBe(2);
  });
});
