import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { githubEnv, ownerIssues, REPOSITORY, seedIssues } from '../support/github-daemons.js';
import { type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const fakes: FakeGitHub[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});

async function newFake(): Promise<FakeGitHub> {
  const fake = await startFakeGitHub({ secondaryPerMinute: 100_000, secondaryPerHour: 100_000 });
  fakes.push(fake);
  return fake;
}

describe('codex-monitor on GitHub: logs of another workstation, steering as JSON (issue 13)', () => {
  it('logs says which owner ran the attempt when its log is on another workstation', async () => {
    const fake = await newFake();
    seedIssues(fake, ownerIssues(1));
    const markers = join(tempDir(), 'markers.jsonl');
    const ws1 = githubEnv(fake, join(tempDir(), 'ws1'), markers, {
      EXECUTOR_COMMAND: 'node -e "console.log(\'done by ws1\')"',
    });
    const run = await runCli(['run', '--until-idle', '--owner', 'ws1/codex'], { env: ws1 });
    expect(run.code, run.stderr.slice(-2000)).toBe(0);

    // On ws1 the log is here: the issue number names the task.
    const here = await runCli(['logs', '#1'], { env: ws1 });
    expect(here).toMatchObject({ code: 0, stdout: 'done by ws1\n' });
    const meta = JSON.parse((await runCli(['logs', '1', '--json'], { env: ws1 })).stdout);
    expect(meta).toMatchObject({ task: `${REPOSITORY}#1`, owner: 'ws1/codex', outcome: 'complete' });

    // Another workstation (its own state directory) is told who has it.
    const ws2 = githubEnv(fake, join(tempDir(), 'ws2'), markers, { CODEX_MONITOR_OWNER_ID: 'ws2/codex' });
    const elsewhere = await runCli(['logs', '1'], { env: ws2 });
    expect(elsewhere.code, elsewhere.stderr).toBe(1);
    expect(elsewhere.stdout).toBe('');
    expect(elsewhere.stderr).toMatch(
      /The latest attempt of acme\/widgets#1 \(ledger epoch \d+\) was run by ws1\/codex: its log is on that owner's workstation/,
    );
    const never = await runCli(['logs', '7'], { env: ws2 });
    expect(never.code).toBe(2);
    expect(never.stderr).toMatch(/No task "7" in the claim ledger and nothing of it on this machine/);

    // With GitHub out of reach, what is on this machine is still shown, with a warning.
    await fakes.splice(0)[0]!.close();
    const offline = await runCli(['logs', '1'], { env: ws1 });
    expect(offline.code, offline.stderr).toBe(0);
    expect(offline.stdout).toBe('done by ws1\n');
    expect(offline.stderr).toMatch(
      /warning: could not read the claim ledger .*showing what is on this machine/,
    );
  });

  it('ignore and unignore answer JSON: the issue, its task id and whether the label changed', async () => {
    const fake = await newFake();
    seedIssues(fake, ownerIssues(1));
    const env = githubEnv(fake, join(tempDir(), 'state'), join(tempDir(), 'm.jsonl'));
    const first = JSON.parse(
      (await runCli(['ignore', '1', '--reason', 'not now', '--json'], { env })).stdout,
    );
    expect(first).toEqual({
      task: `${REPOSITORY}#1`,
      issue: 1,
      action: 'ignore',
      changed: true,
      message: '#1 is labelled codex:ignore: not now',
      reason: 'not now',
    });
    const again = JSON.parse(
      (await runCli(['--json', 'ignore', '#1', '--reason', 'not now'], { env })).stdout,
    );
    expect(again).toMatchObject({ changed: false });
    const lifted = JSON.parse((await runCli(['unignore', '1', '--json'], { env })).stdout);
    expect(lifted).toMatchObject({ action: 'unignore', changed: true });
    const twice = JSON.parse((await runCli(['unignore', '1', '--json'], { env })).stdout);
    expect(twice).toMatchObject({ changed: false });
    expect(fake.state.issue(REPOSITORY, 1)!.labels).toEqual([]);
  });
});
