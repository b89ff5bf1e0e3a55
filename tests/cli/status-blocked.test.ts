/**
 * `blocked` is a state of its own on the local board: a ready task waiting on a poisoned (or
 * unfinished) dependency is listed, filtered and counted as blocked — never as ready — by
 * `tasks ls`, `state ls` and `status`, in text and JSON. Real processes on a real state dir.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { fastEnv, writeDag } from '../support/daemons.js';

// One board for every test of the file (useTempDirs would remove it after the first test).
const dir = mkdtempSync(join(tmpdir(), 'codex-monitor-test-'));
let env: Record<string, string>;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  env = fastEnv(dir, { SHARED_STATE_MAX_RETRIES: '1' });
  const dag = writeDag(
    dir,
    [
      { id: 'build', cmd: 'node -e "process.exit(3)"' },
      { id: 'publish', deps: ['build'] },
      { id: 'later', deps: ['manual'] },
      { id: 'manual', deps: ['publish'] },
    ],
    join(dir, 'markers.jsonl'),
  );
  await runCli(['tasks', 'seed', dag], { env });
  // build poisons after its one attempt; publish waits on it, manual on publish, later on manual.
  const run = await runCli(['run', '--until-idle', '--owner', 'w1'], { env });
  expect(run.code, run.stderr).toBe(1);
}, 60_000);

describe('blocked tasks on the local board (real processes)', () => {
  it('tasks ls shows blocked with what it waits on, and --state blocked selects them', async () => {
    const text = await runCli(['tasks', 'ls'], { env });
    expect(text.stdout).toMatch(/^publish\s+blocked\s+.*waits on build$/m);
    expect(text.stdout).toMatch(/^build\s+poisoned/m);
    expect(text.stdout).not.toMatch(/^publish\s+ready/m);
    const only = JSON.parse((await runCli(['tasks', 'ls', '--state', 'blocked', '--json'], { env })).stdout);
    expect(only.map((t: { id: string }) => t.id)).toEqual(['later', 'manual', 'publish']);
    expect(only.find((t: { id: string }) => t.id === 'publish')).toMatchObject({
      state: 'blocked',
      storedState: 'ready',
      waitingOn: ['build'],
    });
    const ready = JSON.parse((await runCli(['tasks', 'ls', '--state', 'ready', '--json'], { env })).stdout);
    expect(ready).toEqual([]);
  });

  it('a wrong --state names the value and every allowed state, blocked included', async () => {
    for (const command of [
      ['tasks', 'ls'],
      ['state', 'ls'],
    ]) {
      const bad = await runCli([...command, '--state', 'stuck'], { env });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain(
        '--state "stuck" is not one of ready, blocked, claimed, done, failed, poisoned',
      );
    }
  });

  it('state ls shows and filters blocked', async () => {
    const text = await runCli(['state', 'ls'], { env });
    expect(text.stdout).toMatch(/^publish\s+blocked\s+.*waits on build/m);
    const json = JSON.parse((await runCli(['state', 'ls', '--state', 'blocked', '--json'], { env })).stdout);
    expect(json.map((t: { id: string }) => t.id)).toEqual(['later', 'manual', 'publish']);
  });

  it('status counts blocked apart from ready, in the summary, by agent and in JSON', async () => {
    const json = JSON.parse((await runCli(['status', '--json'], { env })).stdout);
    expect(json.totals).toMatchObject({ ready: 0, blocked: 3, poisoned: 1, done: 0 });
    expect(json.byAgent).toEqual([
      { agent: '(any)', counts: { ready: 0, blocked: 3, claimed: 0, done: 0, failed: 0, poisoned: 1 } },
    ]);
    expect(json.blocked).toEqual([
      { id: 'later', waitingOn: ['manual'] },
      { id: 'manual', waitingOn: ['publish'] },
      { id: 'publish', waitingOn: ['build'] },
    ]);
    const text = (await runCli(['status'], { env })).stdout;
    expect(text).toMatch(
      /: 0 done, 0 running, 0 ready, 3 blocked, 0 failed \(retrying\), 1 poisoned, 0 ignored$/m,
    );
    expect(text).toMatch(
      /AGENT\s+READY\s+BLOCKED\s+CLAIMED\s+DONE\s+FAILED\s+POISONED\n\(any\)\s+0\s+3\s+0\s+0\s+0\s+1/,
    );
  });
});
