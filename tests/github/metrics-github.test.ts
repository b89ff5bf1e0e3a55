/**
 * GitHub request metrics against the fake over real HTTP: the client's `onResponse` observer
 * counts every request by route template and status — the totals and the 304s equal what the
 * fake served — and no label holds the owner, the repository, an issue number or the token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchAllPages } from '../../src/boards/github/http/index.js';
import { createMetrics } from '../../src/observe/metrics/index.js';
import { MemoryKeyValueStore } from '../../src/state/kv-store.js';
import { openFakeBoard } from '../support/fake-board.js';
import { fakeClient } from '../support/fake-client.js';
import { type FakeGitHub, type SeedIssue, startFakeGitHub } from '../support/github-fake/index.js';
import { scrape, serveMetrics } from '../support/metrics-server.js';
import { parseMetrics, sample, samples } from '../support/prometheus-text.js';
import { useTempDirs } from '../support/temp-dir.js';

let fake: FakeGitHub;
const tempDir = useTempDirs();
const issues: SeedIssue[] = Array.from({ length: 5 }, (_, i) => ({
  number: i + 1,
  title: `issue ${i + 1}`,
  authorAssociation: 'MEMBER' as const,
}));

beforeAll(async () => {
  fake = await startFakeGitHub({
    seed: {
      repos: [
        { owner: 'acme-corp', name: 'widgets', issues },
        { owner: 'acme', name: 'widgets', issues },
      ],
    },
  });
});
afterAll(() => fake.close());

const noSources = {
  events: { query: () => [] },
  tasks: () => ({ queue: 0, running: 0, blocked: 0, poisoned: 0 }),
  heartbeats: () => [],
};

describe('GitHub request metrics (the fake, real HTTP)', () => {
  it('counts requests by route template and status, 304s included, with no ids or token in labels', async () => {
    const metrics = createMetrics(noSources);
    const client = fakeClient(fake, new MemoryKeyValueStore(), {
      onResponse: (info) => metrics.githubResponse(info),
      onLimit: (info) => metrics.rateLimitWait(info.kind),
    });
    fake.resetStats();
    const params = { owner: 'acme-corp', repo: 'widgets', per_page: 2, state: 'open' };
    const listed = await fetchAllPages(client, 'GET /repos/{owner}/{repo}/issues', params);
    expect(listed.requests).toBe(3); // the next pages are concrete URLs
    await fetchAllPages(client, 'GET /repos/{owner}/{repo}/issues', params); // answered 304 from the cache
    await client.rest.issues.get({ owner: 'acme-corp', repo: 'widgets', issue_number: 3 });
    await expect(
      client.rest.issues.get({ owner: 'acme-corp', repo: 'widgets', issue_number: 999 }),
    ).rejects.toThrow();

    const server = await serveMetrics(metrics.registry);
    const parsed = parseMetrics((await scrape(server.url)).text);
    await server.close();
    const requests = samples(parsed, 'codex_monitor_github_requests_total');
    const served = fake.stats();
    expect(requests.reduce((sum, s) => sum + s.value, 0)).toBe(served.requests);
    expect(served.notModified).toBeGreaterThan(0);
    const notModified = requests
      .filter((s) => s.labels.status === '304')
      .reduce((sum, s) => sum + s.value, 0);
    expect(notModified).toBe(served.notModified);
    expect(
      sample(parsed, 'codex_monitor_github_requests_total', {
        route: 'GET /repos/{owner}/{repo}/issues/{issue_number}',
        status: '404',
      }),
    ).toBe(1);
    const routes = new Set(requests.map((s) => s.labels.route));
    expect([...routes].sort()).toEqual([
      'GET /repos/{owner}/{repo}/issues',
      'GET /repos/{owner}/{repo}/issues/{issue_number}',
    ]);
    for (const s of requests) {
      expect(s.labels.route).not.toMatch(/acme|widgets|test-token|\d|\?/);
    }
    const remaining = samples(parsed, 'codex_monitor_github_rate_limit_remaining');
    expect(remaining.length).toBeGreaterThan(0);
    expect(
      sample(parsed, 'codex_monitor_github_rate_limit_limit', remaining[0]?.labels),
    ).toBeGreaterThanOrEqual(remaining[0]?.value ?? Number.POSITIVE_INFINITY);
  });

  it('a GitHub board opened with the observers counts its issue sync and ledger reads by template', async () => {
    const metrics = createMetrics(noSources);
    const { board, store } = openFakeBoard(fake, tempDir(), {
      observers: {
        onResponse: (info) => metrics.githubResponse(info),
        onCasConflict: () => metrics.casConflict(),
      },
    });
    try {
      fake.resetStats();
      await board.refresh(new AbortController().signal);
      const requests = samples(
        parseMetrics(await metrics.registry.metrics()),
        'codex_monitor_github_requests_total',
      );
      expect(requests.reduce((sum, s) => sum + s.value, 0)).toBe(fake.stats().requests);
      const routes = requests.map((s) => s.labels.route ?? '');
      expect(routes).toContain('GET /repos/{owner}/{repo}/issues');
      expect(routes.some((r) => r.includes('/git/'))).toBe(true); // the ledger's reads
      for (const route of routes) expect(route).not.toMatch(/acme|widgets|test-token|\d|\?/);
    } finally {
      store.close();
    }
  });
});
