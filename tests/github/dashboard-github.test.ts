/**
 * The dashboard on GitHub, in this process against the fake over real HTTP: /metrics takes its
 * task gauges and heartbeat ages from the fleet view (the very document /api/status serves) and
 * reuses the dashboard's fresh read (no GitHub request per scrape); /api/tasks/:id and the task
 * page carry the issue's ledger chain, a hostile record shown escaped, a foreign commit shown as
 * unreadable; an unknown issue is a 404 naming it.
 */
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RefLedger, RestTransport } from '../../src/boards/github/ledger/index.js';
import { loadConfig } from '../../src/config/config.js';
import { systemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import type { RunningServer } from '../../src/serve/server.js';
import { MemoryKeyValueStore } from '../../src/state/kv-store.js';
import type { SharedState } from '../../src/state/shared-state.js';
import { startTestDashboard } from '../support/dashboard.js';
import { ownerIssues, seedIssues } from '../support/github-daemons.js';
import { type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';
import { parseMetrics, sample, samples } from '../support/prometheus-text.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const HOSTILE = '<script>alert(1)</script>';
const quiet = () => {};
let fake: FakeGitHub;
let store: SharedState;
let server: RunningServer;

beforeAll(async () => {
  fake = await startFakeGitHub({ secondaryPerMinute: 100_000, secondaryPerHour: 100_000 });
  seedIssues(
    fake,
    ownerIssues(4, (n) => (n === 1 ? { title: `${HOSTILE} title` } : {})),
  );
  const transport = new RestTransport(
    new Octokit({
      baseUrl: fake.url,
      auth: 'test-token',
      log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    }),
    'acme',
    'widgets',
    new MemoryKeyValueStore(),
    silentLogger(),
  );
  const ledger = new RefLedger({ transport, clock: systemClock(), staleThresholdMs: 60_000 });
  await ledger.heartbeat('ws1/codex', [2]);
  expect(await ledger.claim(2, 'ws1/codex', { maxRetries: 3 })).toMatchObject({ ok: true });
  expect(await ledger.poison(3, 'ws1/codex', 'out of retries')).toMatchObject({ ok: true });
  // Issue 4's chain as anyone with push access could write it: a foreign commit, then a record
  // with a hostile owner and reason and a field no reader knows.
  const ref = 'refs/codex-monitor/tasks/4';
  const foreign = await transport.createCommit(`${HOSTILE} not a record\n\nplain text`, []);
  expect(await transport.advance(ref, foreign, null, async () => false)).toBe('applied');
  const record = {
    v: 1,
    kind: 'release',
    issue: 4,
    owner: HOSTILE,
    attempt: 'a-1',
    epoch: 2,
    retries: 1,
    outcome: 'failed',
    reason: `<img src=x onerror=alert(2)>`,
    evil: '<b>unknown field</b>',
    at: '2026-01-01T00:00:00Z',
  };
  const hostile = await transport.createCommit(`release #4\n\n${JSON.stringify(record)}\n`, [foreign]);
  expect(await transport.advance(ref, hostile, foreign, async () => false)).toBe('applied');

  const config = loadConfig({
    GITHUB_REPOSITORY: 'acme/widgets',
    GITHUB_TOKEN: 'test-token',
    GITHUB_API_URL: fake.url,
    LEDGER_TRANSPORT: 'rest',
    EXECUTOR: 'noop',
    CODEX_MONITOR_STATE_DIR: join(tempDir(), 'state'),
    // A scrape reuses a fleet read younger than this: long enough for the test's scrapes.
    POLL_INTERVAL_MS: '600000',
    SERVE_PORT: '0',
  });
  ({ server, store } = await startTestDashboard(config));
});
afterAll(async () => {
  await server?.close();
  store?.close();
  await fake?.close();
});

interface Fleet {
  summary: { held: number; queued: number; blocked: number; poisoned: number };
  owners: { id: string }[];
}

describe('the dashboard on GitHub', () => {
  it('/metrics: the task gauges and heartbeat owners equal the fleet view, and a scrape reuses its read', async () => {
    const fleet = (await (await fetch(`${server.url}/api/status`)).json()) as Fleet;
    expect(fleet.summary).toMatchObject({ held: 1, poisoned: 1 });
    fake.resetStats();
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(fake.stats().requests).toBe(0); // the dashboard's read was fresh: no request of its own
    const parsed = parseMetrics(await response.text());
    expect({
      queue: sample(parsed, 'codex_monitor_queue_tasks'),
      running: sample(parsed, 'codex_monitor_running_tasks'),
      blocked: sample(parsed, 'codex_monitor_blocked_tasks'),
      poisoned: sample(parsed, 'codex_monitor_poisoned_tasks'),
    }).toEqual({
      queue: fleet.summary.queued,
      running: fleet.summary.held,
      blocked: fleet.summary.blocked,
      poisoned: fleet.summary.poisoned,
    });
    const owners = samples(parsed, 'codex_monitor_heartbeat_age_seconds').map((s) => s.labels.owner);
    expect(owners).toEqual(fleet.owners.map((o) => o.id));
    expect(owners).toEqual(['ws1/codex']);
    // The reader's own requests are counted (by template: no repository, number or token).
    const requests = samples(parsed, 'codex_monitor_github_requests_total');
    expect(requests.reduce((sum, s) => sum + s.value, 0)).toBeGreaterThan(0);
    for (const s of requests) expect(s.labels.route).not.toMatch(/acme|widgets|test-token|\d/);
    // The charts' GitHub budget reads the same registry.
    const charts = (await (await fetch(`${server.url}/api/charts`)).json()) as {
      github: { requestsByRoute: { route: string; total: number }[] } | null;
    };
    // (a view may read the fleet again to sample the queue: routes can only be added)
    expect(charts.github?.requestsByRoute.map((r) => r.route)).toEqual(
      expect.arrayContaining(requests.map((s) => s.labels.route)),
    );
  });

  it('/api/tasks/:id carries the ledger chain: records as data, unknown fields dropped, a foreign commit unreadable', async () => {
    const response = await fetch(`${server.url}/api/tasks/4`);
    expect(response.status).toBe(200);
    const detail = (await response.json()) as {
      task: unknown;
      ledger: { records: Record<string, unknown>[] };
    };
    expect(detail.task).toBeNull(); // no daemon of this workstation ran it
    expect(detail.ledger).toMatchObject({ repository: 'acme/widgets', issue: 4, title: 'Task 4' });
    expect(detail.ledger.records).toEqual([
      expect.objectContaining({ kind: null, unreadable: `${HOSTILE} not a record` }),
      expect.objectContaining({
        kind: 'release',
        epoch: 2,
        owner: HOSTILE,
        outcome: 'failed',
        reason: '<img src=x onerror=alert(2)>',
        unreadable: null,
      }),
    ]);
    expect(JSON.stringify(detail)).not.toContain('unknown field');
    // The store's id, `#n` and `n` name the same issue; the claim shows its owner and epoch.
    const byStoreId = await fetch(`${server.url}/api/tasks/${encodeURIComponent('acme/widgets#2')}`);
    const claimed = (await byStoreId.json()) as { ledger: { records: Record<string, unknown>[] } };
    expect(claimed.ledger.records).toEqual([
      expect.objectContaining({ kind: 'claim', owner: 'ws1/codex', epoch: 1 }),
    ]);
    const missing = await fetch(`${server.url}/api/tasks/${encodeURIComponent('#99')}`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({
      error: 'NOT_FOUND',
      reason: expect.stringContaining('#99'),
    });
  });

  it('the task page renders the hostile record and the foreign commit escaped; the fleet page links to it', async () => {
    const fleet = await (await fetch(`${server.url}/`)).text();
    expect(fleet).toContain('<a href="/tasks/2">#2</a>'); // held by ws1/codex
    const page = await (await fetch(`${server.url}/tasks/4`)).text();
    expect(page).toContain('Ledger chain');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(page).not.toContain(HOSTILE);
    expect(page).not.toContain('<img');
    expect(page).not.toContain('unknown field');
    const first = await (await fetch(`${server.url}/tasks/1`)).text();
    expect(first).not.toContain(HOSTILE); // the issue title, escaped too
    expect(first).toContain('&lt;script&gt;alert(1)&lt;/script&gt; title');
  });
});
