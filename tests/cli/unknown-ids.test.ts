/**
 * Every command that names a task refuses an id the board does not know — exit 2, a clear
 * message, nothing written — on the local board and on GitHub (real CLI, the fake over HTTP).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { fastEnv } from '../support/daemons.js';
import { githubEnv, ownerIssues, REPOSITORY, seedIssues } from '../support/github-daemons.js';
import { type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();

describe('unknown task ids on the local board', () => {
  it('ignore <unknown> is an error and creates nothing that could run', async () => {
    const env = fastEnv(join(tempDir(), 'state'));
    expect((await runCli(['tasks', 'add', 'real'], { env })).code).toBe(0);
    const ignored = await runCli(['ignore', 'typo'], { env });
    expect(ignored.code).toBe(2);
    expect(ignored.stderr).toBe(
      'codex-monitor: No task "typo" on the board; list the ids with: codex-monitor tasks ls\n',
    );
    const run = await runCli(['run', '--until-idle'], { env });
    expect(run.code, run.stderr).toBe(0);
    const tasks = JSON.parse((await runCli(['tasks', 'ls', '--json'], { env })).stdout) as { id: string }[];
    expect(tasks.map((t) => t.id)).toEqual(['real']);
  });

  it('unignore, retry, tasks reset and events (replay, --task, export --task) refuse it too', async () => {
    const dir = tempDir();
    const env = fastEnv(join(dir, 'state'));
    expect((await runCli(['tasks', 'add', 'real'], { env })).code).toBe(0);
    const out = join(dir, 'events.jsonl');
    for (const args of [
      ['unignore', 'typo'],
      ['retry', 'typo'],
      ['tasks', 'reset', 'typo'],
      ['events', 'replay', 'typo'],
      ['events', '--task', 'typo'],
      ['events', 'export', out, '--task', 'typo'],
    ]) {
      const result = await runCli(args, { env });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(/No task "typo" on the board/);
    }
    expect(existsSync(out)).toBe(false);
    // A known task still works.
    expect((await runCli(['events', 'replay', 'real'], { env })).code).toBe(0);
  });
});

describe('unknown issue numbers on GitHub', () => {
  let fake: FakeGitHub;
  beforeAll(async () => {
    fake = await startFakeGitHub({ secondaryPerMinute: 100_000, secondaryPerHour: 100_000 });
    seedIssues(fake, [...ownerIssues(1), { title: 'A PR', pullRequest: true }]);
  });
  afterAll(async () => {
    await fake.close();
  });

  it('retry, ignore and unignore of a missing issue (or a pull request) exit 2 and write nothing', async () => {
    const env = githubEnv(fake, join(tempDir(), 'state'), join(tempDir(), 'm.jsonl'));
    fake.resetStats();
    for (const verb of ['retry', 'ignore', 'unignore']) {
      const missing = await runCli([verb, '99'], { env });
      expect(missing.code, `${verb}: ${missing.stderr}`).toBe(2);
      expect(missing.stderr).toBe('codex-monitor: No issue #99 in acme/widgets: check the number.\n');
      const pr = await runCli([verb, '2'], { env });
      expect(pr.code, `${verb}: ${pr.stderr}`).toBe(2);
      expect(pr.stderr).toMatch(/#2 in acme\/widgets is a pull request, not an issue/);
    }
    expect(fake.stats().writes).toBe(0);
    expect(Object.keys(fake.state.refs(REPOSITORY)).filter((r) => r.includes('codex-monitor'))).toEqual([]);
  });
});
