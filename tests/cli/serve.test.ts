import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { fastEnv } from '../support/daemons.js';
import { parseMetrics, sample } from '../support/prometheus-text.js';
import { type ServeProcess, sseReader, startListening } from '../support/serve-process.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const running: ServeProcess[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) await p.stop();
});

const TOKEN = 'a-test-token-of-some-length';
const HOSTILE = '<script>alert(1)</script> & "quotes"';

async function seeded(extra: Record<string, string> = {}) {
  const env = fastEnv(tempDir(), extra);
  expect((await runCli(['tasks', 'add', 'build', '--title', 'Build it'], { env })).code).toBe(0);
  expect((await runCli(['tasks', 'add', 'evil', '--title', HOSTILE], { env })).code).toBe(0);
  return env;
}

async function serve(env: Record<string, string>): Promise<ServeProcess> {
  const p = await startListening(['serve'], env);
  running.push(p);
  return p;
}

describe('codex-monitor serve', () => {
  it('answers /healthz, /api/status as status --json does, /api/tasks/:id, and a JSON 404 naming the task', async () => {
    const env = await seeded();
    expect((await runCli(['ignore', 'build', '--reason', 'for the history'], { env })).code).toBe(0);
    const server = await serve(env);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    const status = (await (await fetch(`${server.url}/api/status`)).json()) as Record<string, unknown>;
    const cli = JSON.parse((await runCli(['status', '--json'], { env })).stdout);
    // generatedAt and heartbeat ages differ by the moment each was read.
    expect({ ...status, generatedAt: 0 }).toEqual({ ...cli, generatedAt: 0 });
    const task = (await (await fetch(`${server.url}/api/tasks/build`)).json()) as {
      task: unknown;
      events: { type: string; data: unknown }[];
      attempts: unknown[];
    };
    expect(task.task).toMatchObject({ id: 'build', title: 'Build it', ignored: true });
    expect(task.events).toContainEqual(expect.objectContaining({ type: 'ignored' }));
    expect(task.attempts).toEqual([]);
    const missing = await fetch(`${server.url}/api/tasks/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({
      error: 'NOT_FOUND',
      reason: expect.stringContaining('"nope"'),
    });
    // SIGTERM: the server closes and the command exits 0.
    expect(await server.stop()).toBe(0);
  });

  it('serves GET /metrics on the local board: Prometheus text, task gauges from the store', async () => {
    const server = await serve(await seeded());
    const answer = await fetch(`${server.url}/metrics`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/plain/);
    const families = parseMetrics(await answer.text());
    expect(sample(families, 'codex_monitor_queue_tasks')).toBe(2); // build and evil, both ready
    expect(sample(families, 'codex_monitor_attempts_total', { outcome: 'completed' })).toBe(0);
  });

  it('escapes a hostile title on the fleet and task pages; serves the charts; no log of a task never run', async () => {
    const server = await serve(await seeded());
    for (const path of ['/', '/tasks/evil']) {
      const page = await (await fetch(`${server.url}${path}`)).text();
      expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
      expect(page).not.toContain('<script>alert(1)');
    }
    const charts = (await (await fetch(`${server.url}/api/charts`)).json()) as {
      hours: unknown[];
      queueDepth: { samples: { depth: number }[] };
      github: unknown;
    };
    expect(charts.hours).toHaveLength(24);
    expect(charts.queueDepth.samples.at(-1)?.depth).toBe(2); // build and evil, both ready
    expect(charts.github).toBeNull(); // the local board: no GitHub charts
    const page = await (await fetch(`${server.url}/charts`)).text();
    expect(page).toContain('data-testid="chart-completions"');
    const log = await fetch(`${server.url}/tasks/build/log`);
    expect(log.status).toBe(404);
    expect(await log.json()).toMatchObject({ reason: expect.stringContaining('No attempt of build') });
  });

  it('refuses requests without the token, accepts Bearer, and ?token= sets an HttpOnly cookie', async () => {
    const server = await serve(await seeded({ SERVE_TOKEN: TOKEN }));
    const refused = await fetch(`${server.url}/api/status`);
    expect(refused.status).toBe(401);
    expect(await refused.text()).not.toContain(TOKEN);
    expect(
      (await fetch(`${server.url}/api/status`, { headers: { authorization: 'Bearer wrong-token-xxxxxxx' } }))
        .status,
    ).toBe(401);
    expect(
      (await fetch(`${server.url}/api/status`, { headers: { authorization: `Bearer ${TOKEN}` } })).status,
    ).toBe(200);
    const visit = await fetch(`${server.url}/?token=${TOKEN}`);
    expect(visit.status).toBe(200);
    const cookie = visit.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const withCookie = await fetch(`${server.url}/api/status`, {
      headers: { cookie: cookie.split(';')[0] ?? '' },
    });
    expect(withCookie.status).toBe(200);
  });

  it('refuses to start on a non-loopback address without SERVE_TOKEN, naming the variable', async () => {
    const env = await seeded({ SERVE_HOST: '0.0.0.0' });
    const result = await runCli(['serve'], { env: { ...env, SERVE_PORT: '0' } });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/SERVE_HOST="0\.0\.0\.0" is not a loopback address: set SERVE_TOKEN/);
  });

  it('refuses actions by default and without the CSRF token; with both, the task really is ignored', async () => {
    const off = await serve(await seeded());
    const refused = await fetch(`${off.url}/api/tasks/build/ignore`, { method: 'POST' });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({
      reason: expect.stringContaining('SERVE_ALLOW_ACTIONS=true'),
    });
    expect((await fetch(`${off.url}/tasks/build`).then((r) => r.text())).includes('name="csrf"')).toBe(false);

    const env = await seeded({ SERVE_ALLOW_ACTIONS: 'true' });
    const on = await serve(env);
    const noCsrf = await fetch(`${on.url}/api/tasks/build/ignore`, { method: 'POST' });
    expect(noCsrf.status).toBe(403);
    expect(await noCsrf.json()).toMatchObject({ reason: expect.stringContaining('CSRF') });
    const page = await (await fetch(`${on.url}/tasks/build`)).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    expect(csrf).not.toBe('');
    const done = await fetch(`${on.url}/api/tasks/build/ignore`, {
      method: 'POST',
      body: new URLSearchParams({ csrf, reason: 'from the test' }),
    });
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ action: 'ignore', changed: true });
    const listed = JSON.parse((await runCli(['tasks', 'ls', '--json'], { env })).stdout);
    expect(listed.find((t: { id: string }) => t.id === 'build')).toMatchObject({
      ignored: true,
      ignoreReason: 'from the test',
    });
  });

  it('streams a new status event when a task is added', async () => {
    const env = await seeded();
    const server = await serve(env);
    const response = await fetch(`${server.url}/events/stream`);
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const body = response.body;
    if (!body) throw new Error('no body');
    const sse = sseReader(body);
    // Subscribed once the first comment arrived; then the board changes.
    await sse.until((text) => text.includes(': connected'));
    expect((await runCli(['tasks', 'add', 'later', '--title', 'Later'], { env })).code).toBe(0);
    const text = await sse.until((t) => /event: status\ndata: .*\n/.test(t));
    await sse.close();
    const data = /event: status\ndata: (.*)\n/.exec(text)?.[1] ?? '{}';
    expect(JSON.parse(data).totals.ready).toBeGreaterThanOrEqual(3);
  });
});
