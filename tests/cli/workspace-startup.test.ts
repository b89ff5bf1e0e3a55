/**
 * With WORKSPACE=worktree, `run` checks its repository directory before it claims anything: a
 * directory that is no clone of GITHUB_REPOSITORY stops it with exit 2 and a message naming
 * what is wrong — and no issue is claimed.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { ownerIssues, seedIssues } from '../support/github-daemons.js';
import type { FakeGitHub } from '../support/github-fake/index.js';
import { git, startPullFake, workstation } from '../support/pull-request-fleet.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
let fake: FakeGitHub;

// A fake per test: its bare repository lives in a temp dir that is removed after each test.
beforeEach(async () => {
  fake = await startPullFake(tempDir());
  seedIssues(fake, ownerIssues(1));
});
afterEach(() => fake.close());

const claimedAnything = () => Boolean(fake.state.ref('acme/widgets', 'refs/codex-monitor/tasks/1'));

describe('run with worktrees checks the repository directory first', () => {
  it('not a git repository: exit 2, naming the directory and what to set', async () => {
    const { env } = workstation(fake, tempDir(), 1);
    const plain = join(tempDir(), 'not-a-repo');
    mkdirSync(plain);
    const result = await runCli(['run', '--until-idle'], { env: { ...env, CODEX_MONITOR_REPO_DIR: plain } });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(`${plain} is not a git repository`);
    expect(result.stderr).toContain('CODEX_MONITOR_REPO_DIR');
    expect(claimedAnything()).toBe(false);
  });

  it('a clone of another repository: exit 2, naming both', async () => {
    const { env, clone } = workstation(fake, tempDir(), 2);
    const other = join(tempDir(), 'acme', 'gadgets.git');
    mkdirSync(other, { recursive: true });
    git(other, ['init', '--quiet', '--bare']);
    git(clone, ['remote', 'set-url', 'origin', other]);
    const result = await runCli(['run', '--until-idle'], { env });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/acme\/gadgets/);
    expect(result.stderr).toContain('acme/widgets');
    expect(claimedAnything()).toBe(false);
  });
});
