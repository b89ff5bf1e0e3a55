/**
 * The dashboard in a real headless Chromium, served by `run --serve` on the local board. One
 * daemon for the file, its tasks gated by files the test creates (tests/fixtures/gate.mjs):
 * "slow" runs until the test lets it end, "after" waits on it, "evil" (a hostile title) waits
 * in the queue behind them (one slot). The steps run in order against that one daemon.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { tableRows as rows, untilRow, useChromium } from '../support/browser.js';
import { fastEnv } from '../support/daemons.js';
import { type ServeProcess, startListening } from '../support/serve-process.js';

const GATE = new URL('../fixtures/gate.mjs', import.meta.url).pathname;
const TOKEN = 'a-browser-test-token-of-some-length';
const HOSTILE = `<script>alert('title')</script><img src=x onerror="alert('img')"> & "quotes"`;

const browser = useChromium();
let dir: string;
let gates: string;
let daemon: ServeProcess;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'codex-monitor-test-'));
  gates = join(dir, 'gates');
  mkdirSync(gates);
  const env = fastEnv(join(dir, 'state'), { SERVE_TOKEN: TOKEN, SERVE_ALLOW_ACTIONS: 'true' });
  const gated = { kind: 'shell', cmd: `node ${GATE} ${gates}` };
  const dag = join(dir, 'dag.yaml');
  writeFileSync(
    dag,
    stringify([
      { id: 'slow', title: 'Slow one', priority: 10, payload: gated },
      { id: 'after', title: 'After the slow one', deps: ['slow'], priority: 10, payload: gated },
      { id: 'evil', title: HOSTILE, priority: 1, payload: gated },
    ]),
  );
  daemon = await startListening(['run', '--serve', '--seed', dag, '--parallel', '1'], env);
});

afterAll(async () => {
  writeFileSync(join(gates, 'after'), '');
  if (daemon) expect(await daemon.stop(), daemon.output().slice(-2000)).toBe(0);
  rmSync(dir, { recursive: true, force: true });
});

describe('the dashboard in a headless browser, local board (run --serve)', () => {
  let fleet: Page;

  it('the fleet page lists the running task, the blocked one and the queue; a hostile title is text', async () => {
    const watched = await browser().newPage();
    fleet = watched.page;
    // The first visit presents the token; the HttpOnly cookie it sets carries it from then on.
    const visit = await fleet.goto(`${daemon.url}/?token=${TOKEN}`);
    expect(visit?.status()).toBe(200);
    const running = await untilRow(fleet, 'Running', 'slow');
    expect(running.slice(1, 4)).toEqual(['Slow one', expect.stringMatching(/\S/), '1']);
    expect(await rows(fleet, 'Blocked')).toContainEqual(['after', 'slow']);
    const queued = await untilRow(fleet, 'Queue', 'evil');
    expect(queued[1]).toBe(HOSTILE); // shown as the characters it is made of
    // No element came from the title: the server-rendered content holds no script and no image.
    expect(await fleet.locator('main script, main img').count()).toBe(0);
    expect(await fleet.getByRole('link', { name: 'slow' }).first().getAttribute('href')).toBe('/tasks/slow');
    expect(watched.errors).toEqual([]);
  });

  it('updates live when the task completes: the same page, never reloaded, shows the next one running', async () => {
    // A mark on the window: a reload or a navigation would drop it.
    await fleet.evaluate(() => {
      (globalThis as { kept?: string }).kept = 'same page';
    });
    writeFileSync(join(gates, 'slow'), '');
    const running = await untilRow(fleet, 'Running', 'after');
    expect(running[1]).toBe('After the slow one');
    expect((await rows(fleet, 'Running')).map((r) => r[0])).toEqual(['after']);
    expect(await rows(fleet, 'Blocked')).toEqual([]);
    expect(await fleet.evaluate(() => (globalThis as { kept?: string }).kept)).toBe('same page');
  });

  it('the task page shows the history: events, and the attempt with its outcome and duration', async () => {
    const { page } = await browser().newPage();
    await page.goto(`${daemon.url}/tasks/slow`);
    await expect(page.locator('h1').textContent()).resolves.toBe('slow: Slow one');
    expect(await page.locator('main p').first().textContent()).toMatch(/^state done\b/);
    const attempts = await rows(page, 'Attempts');
    expect(attempts).toEqual([
      [
        '1',
        expect.stringMatching(/\S/),
        expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        'completed',
        expect.stringMatching(/^\d+s$/),
      ],
    ]);
    const history = (await rows(page, 'History')).map((r) => r[1]);
    for (const type of ['claimed', 'started', 'completed']) expect(history).toContain(type);
    expect(history.indexOf('started')).toBeLessThan(history.indexOf('completed'));
    await page.close();
  });

  it('refuses an action without the token or the CSRF token; the task page form carries it and works', async () => {
    const url = `${daemon.url}/api/tasks/evil/ignore`;
    const bare = await fetch(url, { method: 'POST' });
    expect(bare.status).toBe(401);
    const bearer = { authorization: `Bearer ${TOKEN}` };
    const noCsrf = await fetch(url, { method: 'POST', headers: bearer });
    expect(noCsrf.status).toBe(403);
    expect(await noCsrf.json()).toMatchObject({ reason: expect.stringContaining('CSRF') });
    // The browser's own request, with the cookie but without the form's token: refused too.
    const { page } = await browser().newPage();
    expect((await page.request.post(url, { form: { csrf: 'a-guess' } })).status()).toBe(403);

    await page.goto(`${daemon.url}/tasks/evil`);
    expect(await page.locator('h1').textContent()).toBe(`evil: ${HOSTILE}`);
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url() === url && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'ignore' }).click(),
    ]);
    expect(answer.status()).toBe(200);
    const task = (await (await fetch(`${daemon.url}/api/tasks/evil`, { headers: bearer })).json()) as {
      task: { ignored: boolean; ignoreReason: string | null };
    };
    expect(task.task).toMatchObject({ ignored: true, ignoreReason: 'ignored from the dashboard' });
    // And the fleet page, live, no longer queues it.
    await untilRow(fleet, 'Queue', 'evil', false);
    await page.close();
  });

  it('no dialog ever opened: nothing of a hostile title ran as script', () => {
    expect(browser().dialogs).toEqual([]);
  });
});
