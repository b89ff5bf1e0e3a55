import { afterEach, describe, expect, it } from 'vitest';
import { sseReader } from '../../tests/support/serve-process.js';
import { testState } from '../../tests/support/state.js';
import { useTempDirs } from '../../tests/support/temp-dir.js';
import type { ChartData, GitHubBudget } from './chart-data.js';
import type { ChartsSource } from './charts-routes.js';
import { type RunningServer, type ServeSources, startServer } from './server.js';

const tempDir = useTempDirs();
const servers: RunningServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

const HOSTILE_ROUTE = 'GET /repos/{owner}/<img src=x onerror=alert(1)>';

/** A local store with one attempt completed an hour ago; the status document says 3 tasks are ready. */
async function started(github?: () => Promise<GitHubBudget>) {
  const board = { cursor: 'c', ready: 3 };
  const { state, clock } = testState(tempDir());
  clock.advance(10 * 3_600_000);
  state.events.append({ type: 'started', taskId: 'a', epoch: 1 });
  clock.advance(90_000);
  state.events.append({ type: 'completed', taskId: 'a', epoch: 1 });
  clock.advance(3_600_000);
  const sources: ServeSources = {
    status: async () => ({ totals: { ready: board.ready } }),
    queue: () => [],
    task: async () => null,
    cursor: () => board.cursor,
    health: async () => ({ ok: true }),
    steer: async () => {
      throw new Error('no steering here');
    },
  };
  const charts: ChartsSource = {
    events: state.events,
    now: () => clock.now(),
    ...(github ? { github } : {}),
  };
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    token: undefined,
    allowActions: false,
    sources,
    routes: { charts },
    pollMs: 20,
  });
  servers.push(server);
  return { server, state, clock, board };
}

describe('/charts and /api/charts', () => {
  it('answer the hourly numbers and a queue sample as JSON; no GitHub charts on the local board', async () => {
    const { server, state } = await started();
    const answer = await fetch(`${server.url}/api/charts?hours=3`);
    expect(answer.status).toBe(200);
    const data = (await answer.json()) as ChartData;
    expect(data.window.hours).toBe(3);
    expect(data.hours).toHaveLength(3);
    const ended = data.hours.find((h) => h.outcomes.completed === 1);
    expect(ended?.durations).toEqual({ count: 1, p50Ms: 90_000, p95Ms: 90_000 });
    expect(data.queueDepth.samples).toEqual([{ at: data.window.to, depth: 3 }]);
    expect(data.github).toBeNull();

    const page = await (await fetch(`${server.url}/charts`)).text();
    for (const id of ['chart-completions', 'chart-outcomes', 'chart-durations', 'chart-queue'])
      expect(page).toContain(`id="${id}" data-testid="${id}"`);
    expect(page).toContain('<svg role="img"');
    expect(page).not.toContain('chart-github');
    state.close();
  });

  it('samples the queue from the status documents the live stream sends, not only on views', async () => {
    const { server, state, clock, board } = await started();
    const sse = sseReader((await fetch(`${server.url}/events/stream`)).body!);
    await sse.until((text) => text.includes(': connected'));
    const streamedAt = clock.now();
    board.ready = 7;
    board.cursor = 'd';
    await sse.until((text) => text.includes('"ready":7'));
    await sse.close();
    clock.advance(60_000);
    board.ready = 5;
    const data = (await (await fetch(`${server.url}/api/charts`)).json()) as ChartData;
    expect(data.queueDepth).toEqual({
      sampledSince: streamedAt,
      samples: [
        { at: streamedAt, depth: 7 },
        { at: streamedAt + 60_000, depth: 5 },
      ],
    });
    state.close();
  });

  it('refuses a bad window with a 400 that names the value and the range', async () => {
    const { server, state } = await started();
    for (const hours of ['0', '169', 'week']) {
      const answer = await fetch(`${server.url}/api/charts?hours=${hours}`);
      expect(answer.status).toBe(400);
      expect(await answer.json()).toEqual({
        error: 'INPUT_INVALID',
        reason: `hours="${hours}" is not a whole number of hours from 1 to 168: ask for e.g. ?hours=24`,
      });
    }
    expect((await fetch(`${server.url}/charts?hours=-2`)).status).toBe(400);
    state.close();
  });

  it('on GitHub draws the budget and the requests by route, the route escaped', async () => {
    const budget: GitHubBudget = {
      rateLimits: [{ resource: 'core', remaining: 4_200, limit: 5_000 }],
      requestsByRoute: [{ route: HOSTILE_ROUTE, total: 7, notModified: 5, failed: 0 }],
      limitWaits: [{ kind: 'secondary', count: 1 }],
    };
    const { server, state } = await started(async () => budget);
    const data = (await (await fetch(`${server.url}/api/charts`)).json()) as ChartData;
    expect(data.github).toEqual(budget);
    const page = await (await fetch(`${server.url}/charts`)).text();
    for (const id of ['chart-github-budget', 'chart-github-routes', 'github-limit-waits'])
      expect(page).toContain(`data-testid="${id}"`);
    expect(page).toContain('4200 / 5000');
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    state.close();
  });
});
