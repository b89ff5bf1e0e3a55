/**
 * The dashboard in a real headless Chromium, served by `run --serve` on the GitHub board (the
 * project's stateful fake over real HTTP): the fleet page shows the owner from the ledger and
 * the issue it runs, then — live, on the same page — that issue's completion and the next one
 * taken; then the completed issue's task page. The issues' agent waits for a file the test
 * creates (tests/fixtures/gate.mjs).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableRows as rows, untilRow, untilRows, useChromium } from '../support/browser.js';
import { githubEnv, ownerIssues, seedIssues } from '../support/github-daemons.js';
import { type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';
import { type ServeProcess, startListening } from '../support/serve-process.js';

const GATE = new URL('../fixtures/gate.mjs', import.meta.url).pathname;
const OWNER = 'ws1/codex';

const browser = useChromium();
let dir: string;
let gates: string;
let fake: FakeGitHub;
let daemon: ServeProcess;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'codex-monitor-test-'));
  gates = join(dir, 'gates');
  mkdirSync(gates);
  fake = await startFakeGitHub({ secondaryPerMinute: 100_000, secondaryPerHour: 100_000 });
  seedIssues(fake, ownerIssues(2));
  const env = githubEnv(fake, join(dir, 'state'), join(dir, 'markers.jsonl'), {
    EXECUTOR_COMMAND: `node ${GATE} ${gates}`,
    LOG_LEVEL: 'warn',
  });
  daemon = await startListening(['run', '--serve', '--owner', OWNER, '--parallel', '1'], env);
});

afterAll(async () => {
  for (const issue of ['1', '2']) writeFileSync(join(gates, issue), '');
  if (daemon) expect(await daemon.stop(), daemon.output().slice(-2000)).toBe(0);
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the dashboard in a headless browser, GitHub board (run --serve against the fake)', () => {
  let fleet: Page;
  /** The issue taken first ("#1" or "#2": the claim order is the board's to choose). */
  let first: string;

  it('the fleet page shows the owner from the ledger and the issue it runs, the other one queued', async () => {
    const watched = await browser().newPage();
    fleet = watched.page;
    expect((await fleet.goto(daemon.url))?.status()).toBe(200);
    expect(await fleet.locator('h1').textContent()).toBe('Fleet of acme/widgets');
    const running = (await untilRows(fleet, 'Running', (r) => r.length > 0))[0] ?? [];
    first = running[0] ?? '';
    expect(first).toMatch(/^#[12]$/);
    expect(running.slice(1, 3)).toEqual([`Task ${first.slice(1)}`, OWNER]);
    // What the owner runs, from its heartbeat in the ledger (written on the next beat).
    await untilRows(fleet, 'Owners', (r) => r.some(([id, , runs]) => id === OWNER && runs === first));
    const other = first === '#1' ? '#2' : '#1';
    expect((await untilRow(fleet, 'Queue', other))[1]).toBe(`Task ${other.slice(1)}`);
    expect(watched.errors).toEqual([]);
  });

  it('shows the completion live: the same page, never reloaded, drops the issue and shows the next one', async () => {
    await fleet.evaluate(() => {
      (globalThis as { kept?: string }).kept = 'same page';
    });
    const other = first === '#1' ? '#2' : '#1';
    writeFileSync(join(gates, first.slice(1)), '');
    await untilRow(fleet, 'Running', other);
    expect((await rows(fleet, 'Running')).map((r) => r[0])).toEqual([other]);
    await untilRows(fleet, 'Owners', (r) => r.some(([id, , runs]) => id === OWNER && runs === other));
    expect(await untilRows(fleet, 'Queue', (r) => r.length === 0)).toEqual([]);
    expect(await fleet.evaluate(() => (globalThis as { kept?: string }).kept)).toBe('same page');
    expect(browser().dialogs).toEqual([]);
  });

  it("the completed issue's task page shows its attempt, its history from this daemon's event log and its ledger chain", async () => {
    const { page } = await browser().newPage();
    const id = `acme/widgets${first}`;
    expect((await page.goto(`${daemon.url}/tasks/${encodeURIComponent(id)}`))?.status()).toBe(200);
    expect(await page.locator('h1').textContent()).toBe(`${id}: Task ${first.slice(1)}`);
    expect(await rows(page, 'Attempts')).toEqual([
      ['1', OWNER, expect.stringMatching(/^\d{4}-/), 'completed', expect.stringMatching(/^\d+s$/)],
    ]);
    const history = (await rows(page, 'History')).map((r) => r[1]);
    for (const type of ['claimed', 'started', 'completed']) expect(history).toContain(type);
    // The issue's ledger chain: this daemon's claim, then its completed release.
    expect((await rows(page, 'Ledger chain')).map((r) => r.slice(1, 4).concat(r[5] ?? ''))).toEqual([
      ['claim', '1', OWNER, ''],
      ['release', '2', OWNER, expect.stringContaining('complete')],
    ]);
    await page.close();
  });
});
