import { describe, expect, it } from 'vitest';
import { createMetrics, githubBudget } from './index.js';

const metrics = () =>
  createMetrics({
    events: { query: () => [] },
    tasks: () => ({ queue: 0, running: 0, blocked: 0, poisoned: 0 }),
    heartbeats: () => [],
  });

describe('githubBudget', () => {
  it('is empty before any request', async () => {
    expect(await githubBudget(metrics().registry)).toEqual({
      rateLimits: [],
      requestsByRoute: [],
      limitWaits: [],
    });
  });

  it("reads the registry's series: remaining of limit per resource, requests by route over statuses, waits", async () => {
    const m = metrics();
    const limits = (resource: string, remaining: number) => ({
      'x-ratelimit-resource': resource,
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-limit': '5000',
    });
    const issues = '/repos/{owner}/{repo}/issues';
    m.githubResponse({ method: 'get', route: issues, status: 200, headers: limits('core', 4_990) });
    m.githubResponse({ method: 'get', route: issues, status: 304, headers: limits('core', 4_990) });
    m.githubResponse({ method: 'get', route: issues, status: 304 });
    m.githubResponse({ method: 'get', route: issues, status: 502 });
    m.githubResponse({ method: 'post', route: '/graphql', status: undefined });
    m.githubResponse({ method: 'post', route: '/graphql', status: 200, headers: limits('graphql', 4_000) });
    m.rateLimitWait('secondary');
    m.rateLimitWait('secondary');
    expect(await githubBudget(m.registry)).toEqual({
      rateLimits: [
        { resource: 'core', remaining: 4_990, limit: 5_000 },
        { resource: 'graphql', remaining: 4_000, limit: 5_000 },
      ],
      requestsByRoute: [
        { route: `GET ${issues}`, total: 4, notModified: 2, failed: 1 },
        { route: 'POST /graphql', total: 2, notModified: 0, failed: 1 },
      ],
      limitWaits: [{ kind: 'secondary', count: 2 }],
    });
  });
});
