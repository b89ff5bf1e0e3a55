/**
 * Steering that must be refused, through the real CLI against the fake: `codex:retry` on a
 * stranger's issue (left in place, said in the log), and `retry <n>` on finished work (exit 2),
 * on both boards.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { fastEnv } from '../support/daemons.js';
import { githubEnv, ledgerChain, ownerIssues, REPOSITORY, seedIssues } from '../support/github-daemons.js';
import { type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
let fake: FakeGitHub | undefined;
afterEach(async () => {
  await fake?.close();
});

const poisonRecord = (issue: number) =>
  `codex-monitor: poison #${issue}\n\n${JSON.stringify({ v: 1, kind: 'poison', issue, owner: 'ws9/x', attempt: '', epoch: 1, retries: 3, at: '' })}\n`;

describe('refused steering', () => {
  it('codex:retry on an untrusted author’s issue is refused with a reason, and the label stays', async () => {
    fake = await startFakeGitHub({ secondaryPerMinute: 100_000, secondaryPerHour: 100_000 });
    fake.seed({
      repos: [
        {
          owner: 'acme',
          name: 'widgets',
          issues: [
            {
              title: 'From a stranger',
              user: 'mallory',
              authorAssociation: 'NONE',
              labels: ['codex:retry', 'codex:failed'],
            },
            ...ownerIssues(1).map((i) => ({ ...i, number: 2 })),
          ],
          refs: [{ ref: 'refs/codex-monitor/tasks/1', messages: [poisonRecord(1)] }],
        },
      ],
    });
    const env = githubEnv(fake, join(tempDir(), 'state'), join(tempDir(), 'm.jsonl'));
    const run = await runCli(['run', '--until-idle', '--owner', 'ws1/codex'], { env });
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    expect(ledgerChain(fake, 2).map((r) => r.kind)).toEqual(['claim', 'release']); // the fleet went on
    expect(ledgerChain(fake, 1).map((r) => r.kind)).toEqual(['foreign', 'poison']); // no reset written
    expect(fake.state.issue(REPOSITORY, 1)!.labels.sort()).toEqual(['codex:failed', 'codex:retry']);
    expect(run.stderr).toMatch(/codex:retry on #1 refused: its author \(NONE\) is not trusted/);
  });

  it('retry <n> on a done issue exits 2 with the reason and writes nothing', async () => {
    fake = await startFakeGitHub({ secondaryPerMinute: 100_000, secondaryPerHour: 100_000 });
    seedIssues(fake, ownerIssues(1));
    const env = githubEnv(fake, join(tempDir(), 'state'), join(tempDir(), 'm.jsonl'));
    const run = await runCli(['run', '--until-idle', '--owner', 'ws1/codex'], { env });
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    expect(ledgerChain(fake, 1).map((r) => r.outcome ?? r.kind)).toEqual(['claim', 'complete']);

    const retried = await runCli(['retry', '1'], { env });
    expect(retried.code).toBe(2);
    expect(retried.stderr).toMatch(
      /Cannot retry #1: #1 is done .*retry re-enables poisoned or failed issues/,
    );
    expect(retried.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(ledgerChain(fake, 1).map((r) => r.outcome ?? r.kind)).toEqual(['claim', 'complete']);
  });

  it('retry <task> on a done local task exits 2 and says how to re-run it on purpose', async () => {
    const env = fastEnv(join(tempDir(), 'state'));
    expect((await runCli(['tasks', 'add', 'built'], { env })).code).toBe(0);
    expect((await runCli(['run', '--until-idle'], { env })).code).toBe(0);
    const retried = await runCli(['retry', 'built'], { env });
    expect(retried.code).toBe(2);
    expect(retried.stderr).toMatch(/Task built is done; retry re-enables poisoned or failed tasks/);
    expect(retried.stderr).toMatch(/codex-monitor tasks reset built/);
  });
});
