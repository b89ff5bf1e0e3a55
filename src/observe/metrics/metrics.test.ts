import { readFileSync } from 'node:fs';
import { register as globalRegistry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createMetrics, type MetricsSources, routeTemplate } from './index.js';

const sources = (over: Partial<MetricsSources> = {}): MetricsSources => ({
  events: { query: () => [] },
  tasks: () => ({ queue: 2, running: 1, blocked: 0, poisoned: 0 }),
  heartbeats: () => [],
  ...over,
});

const values = async (metrics: ReturnType<typeof createMetrics>, name: string) =>
  (await metrics.registry.getSingleMetric(name)?.get())?.values ?? [];

describe('routeTemplate', () => {
  it('keeps templates, reduces concrete URLs: no host, query, owner, repository, number or ref', () => {
    expect(routeTemplate('/repos/{owner}/{repo}/issues')).toBe('/repos/{owner}/{repo}/issues');
    expect(routeTemplate('https://api.github.com/repositories/42/issues?page=3&per_page=100')).toBe(
      '/repos/{owner}/{repo}/issues',
    );
    expect(routeTemplate('http://127.0.0.1:9/repos/acme/app/issues/17/comments?access_token=secret')).toBe(
      '/repos/{owner}/{repo}/issues/{number}/comments',
    );
    expect(routeTemplate('/repos/acme/app/git/refs/heads/codex-monitor/tasks/12')).toBe(
      '/repos/{owner}/{repo}/git/refs/{ref}',
    );
    expect(routeTemplate('/repos/acme/app/git/commits/0123abcd')).toBe(
      '/repos/{owner}/{repo}/git/commits/{sha}',
    );
  });
});

describe('createMetrics', () => {
  it('gives each call its own registry: two in one process share nothing, the global one stays empty', async () => {
    const a = createMetrics(sources());
    const b = createMetrics(sources());
    a.githubResponse({ method: 'get', route: '/repos/{owner}/{repo}/issues', status: 200 });
    a.casConflict();
    expect(await values(a, 'codex_monitor_github_requests_total')).toEqual([
      { labels: { route: 'GET /repos/{owner}/{repo}/issues', status: '200' }, value: 1 },
    ]);
    expect(await values(b, 'codex_monitor_github_requests_total')).toEqual([]);
    expect((await values(b, 'codex_monitor_ledger_cas_conflicts_total'))[0]?.value).toBe(0);
    expect(globalRegistry.getSingleMetric('codex_monitor_github_requests_total')).toBeUndefined();
  });

  it('computes gauges on scrape only, reading the tasks once per scrape; heartbeat ages in seconds', async () => {
    let reads = 0;
    const metrics = createMetrics(
      sources({
        tasks: () => {
          reads++;
          return { queue: 4, running: 2, blocked: 1, poisoned: 3 };
        },
        heartbeats: () => [{ owner: 'w1', ageMs: 1500 }],
      }),
    );
    expect(reads).toBe(0);
    const text = await metrics.registry.metrics();
    expect(reads).toBe(1);
    await metrics.registry.metrics();
    expect(reads).toBe(2); // every scrape reads afresh
    expect(text).toContain('codex_monitor_poisoned_tasks 3');
    expect(text).toContain('codex_monitor_queue_tasks 4');
    expect(text).toContain('codex_monitor_heartbeat_age_seconds{owner="w1"} 1.5');
  });

  it('reads the rate-limit headers and counts a failed connection as status "error"', async () => {
    const metrics = createMetrics(sources());
    metrics.githubResponse({
      method: 'GET',
      route: '/rate_limit',
      status: 200,
      headers: {
        'x-ratelimit-remaining': '420',
        'x-ratelimit-limit': '5000',
        'x-ratelimit-resource': 'core',
      },
    });
    metrics.githubResponse({ method: 'GET', route: '/repos/{owner}/{repo}', status: undefined });
    metrics.rateLimitWait('secondary');
    const text = await metrics.registry.metrics();
    expect(text).toContain('codex_monitor_github_rate_limit_remaining{resource="core"} 420');
    expect(text).toContain('codex_monitor_github_rate_limit_limit{resource="core"} 5000');
    expect(text).toContain(
      'codex_monitor_github_requests_total{route="GET /repos/{owner}/{repo}",status="error"} 1',
    );
    expect(text).toContain('codex_monitor_github_rate_limit_waits_total{kind="secondary"} 1');
  });
});

describe('the documented alert rules (docs/operations.md, Metrics)', () => {
  it('parse as Prometheus rule YAML and use only metrics the registry exports', async () => {
    const doc = readFileSync(new URL('../../../docs/operations.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('## Metrics'));
    const block = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block).toBeDefined();
    const rules = parse(block ?? '') as {
      groups: { name: string; rules: { alert: string; expr: string }[] }[];
    };
    const alerts = rules.groups.flatMap((g) => g.rules);
    expect(alerts.map((r) => r.alert)).toEqual([
      'CodexMonitorTaskPoisoned',
      'CodexMonitorHeartbeatLate',
      'CodexMonitorGitHubBudgetLow',
    ]);
    const exported = new Set((await createMetrics(sources()).registry.getMetricsAsJSON()).map((m) => m.name));
    for (const { expr } of alerts) {
      const used = expr.match(/codex_monitor_\w+/g) ?? [];
      expect(used.length).toBeGreaterThan(0);
      for (const name of used) expect(exported, `${name} in ${expr}`).toContain(name);
    }
    // Every metric the registry exports is documented in the section's table.
    for (const name of exported) expect(section).toContain(`| \`${name}\``);
  });
});
