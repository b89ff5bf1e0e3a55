/**
 * What the dashboard's GitHub charts show, read from the registry's own series (the client's
 * observers already counted them): rate-limit remaining and limit per resource, requests by
 * route (summed over status), waits by kind. Nothing is counted a second time.
 */
import type { Registry } from 'prom-client';

export interface GitHubBudgetReading {
  rateLimits: { resource: string; remaining: number; limit: number | null }[];
  requestsByRoute: { route: string; total: number; notModified: number; failed: number }[];
  limitWaits: { kind: string; count: number }[];
}

type Values = { labels: Record<string, string | number | undefined>; value: number }[];

async function values(registry: Registry, name: string): Promise<Values> {
  const metric = registry.getSingleMetric(`codex_monitor_${name}`);
  return metric ? ((await metric.get()).values as Values) : [];
}

const label = (v: Values[number], key: string) => String(v.labels[key] ?? '');

export async function githubBudget(registry: Registry): Promise<GitHubBudgetReading> {
  const limits = new Map(
    (await values(registry, 'github_rate_limit_limit')).map((v) => [label(v, 'resource'), v.value]),
  );
  const rateLimits = (await values(registry, 'github_rate_limit_remaining'))
    .map((v) => ({
      resource: label(v, 'resource'),
      remaining: v.value,
      limit: limits.get(label(v, 'resource')) ?? null,
    }))
    .sort((a, b) => a.resource.localeCompare(b.resource));
  const routes = new Map<string, { route: string; total: number; notModified: number; failed: number }>();
  for (const v of await values(registry, 'github_requests_total')) {
    const route = label(v, 'route');
    const row = routes.get(route) ?? { route, total: 0, notModified: 0, failed: 0 };
    const status = label(v, 'status');
    row.total += v.value;
    if (status === '304') row.notModified += v.value;
    else if (status === 'error' || Number(status) >= 400) row.failed += v.value;
    routes.set(route, row);
  }
  const limitWaits = (await values(registry, 'github_rate_limit_waits_total')).map((v) => ({
    kind: label(v, 'kind'),
    count: v.value,
  }));
  return {
    rateLimits,
    requestsByRoute: [...routes.values()].sort((a, b) => b.total - a.total || a.route.localeCompare(b.route)),
    limitWaits,
  };
}
