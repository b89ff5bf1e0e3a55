import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { processStartTicks } from '../../src/host/process-liveness.js';
import { Worktrees } from '../../src/workspaces/index.js';
import { runCli } from '../support/cli.js';
import { useTempDirs } from '../support/temp-dir.js';
import { type GitFixture, gitFixture } from '../workspaces/git-fixture.js';

const tempDir = useTempDirs();
const DAY = 86_400_000;
/** The test process outlives every CLI it starts: its worktrees are a running daemon's. */
const live = { pid: process.pid, pidStart: processStartTicks(process.pid) };
/** The same pid started at another time: a daemon that died (its pid since reused). */
const dead = { pid: process.pid, pidStart: (live.pidStart ?? 0) + 1 };

interface Setup {
  repo: GitFixture;
  stateDir: string;
  env: Record<string, string>;
  dirs: Record<'active' | 'leftover' | 'kept' | 'expired', string>;
}

/** Four worktrees, one of each status, made as daemons make them (Worktrees on a real clone). */
async function setup(): Promise<Setup> {
  const repo = gitFixture(tempDir());
  const stateDir = join(repo.dir, 'state');
  const make = async (owner: typeof live, key: string, wallMs: number) => {
    const worktrees = new Worktrees({
      repoDir: repo.clone,
      root: join(stateDir, 'worktrees'),
      remote: 'origin',
      baseBranch: 'main',
      freshRetry: false,
      keepFailedMs: DAY,
      clock: new ManualClock(wallMs),
      owner,
      env: repo.env,
    });
    const prepared = await worktrees.prepare({ key, branch: `codex/${key}-work`, attempt: '1' });
    return { worktrees, dir: prepared.dir };
  };
  const now = Date.now();
  const active = await make(live, '11', now - 60_000);
  const leftover = await make(dead, '12', now - 3_600_000);
  const kept = await make(live, '13', now - 7_200_000);
  await kept.worktrees.finish(kept.dir, { keep: true });
  const expired = await make(live, '14', now - 3 * DAY);
  await expired.worktrees.finish(expired.dir, { keep: true });
  const env = {
    CODEX_MONITOR_STATE_DIR: stateDir,
    CODEX_MONITOR_REPO_DIR: repo.clone,
    WORKSPACE: 'worktree',
    HOME: repo.env.HOME!,
    GIT_CONFIG_NOSYSTEM: '1',
  };
  const dirs = { active: active.dir, leftover: leftover.dir, kept: kept.dir, expired: expired.dir };
  return { repo, stateDir, env, dirs };
}

const branches = (repo: GitFixture) =>
  repo.git(['for-each-ref', '--format=%(refname:short)', 'refs/heads/codex']).split('\n').filter(Boolean);

describe('codex-monitor workspaces', () => {
  it('ls says clearly when there is nothing, and why when worktrees are off', async () => {
    const stateDir = join(tempDir(), 'state');
    const none = await runCli(['workspaces', 'ls'], {
      env: { CODEX_MONITOR_STATE_DIR: stateDir, WORKSPACE: 'none' },
    });
    expect(none.code, none.stderr).toBe(0);
    expect(none.stdout).toContain(`No worktrees under ${join(stateDir, 'worktrees')}.`);
    expect(none.stdout).toContain('WORKSPACE is "none"');
    const json = await runCli(['workspaces', 'ls', '--json'], {
      env: { CODEX_MONITOR_STATE_DIR: stateDir, WORKSPACE: 'worktree' },
    });
    expect(JSON.parse(json.stdout)).toEqual([]);
    const prune = await runCli(['workspaces', 'prune'], {
      env: { CODEX_MONITOR_STATE_DIR: stateDir, WORKSPACE: 'worktree' },
    });
    expect(prune.code, prune.stderr).toBe(0);
    expect(prune.stdout).not.toContain('WORKSPACE is');
    expect(existsSync(stateDir)).toBe(false); // looking created nothing
  });

  it('ls lists every worktree with its branch, key, status, age and kept-until, in text and JSON', async () => {
    const { env } = await setup();
    const text = await runCli(['workspaces', 'ls'], { env });
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^KEY\s+BRANCH\s+STATUS\s+AGE\s+KEPT UNTIL\s+PATH$/);
    // Oldest first.
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 3))).toEqual([
      ['14', 'codex/14-work', 'expired'],
      ['13', 'codex/13-work', 'kept'],
      ['12', 'codex/12-work', 'leftover'],
      ['11', 'codex/11-work', 'active'],
    ]);

    const json = await runCli(['workspaces', 'ls', '--json'], { env });
    const entries = JSON.parse(json.stdout) as {
      key: string;
      status: string;
      ageMs: number;
      keptUntil: number | null;
    }[];
    const byKey = Object.fromEntries(entries.map((e) => [e.key, e]));
    expect(byKey['13']!.status).toBe('kept');
    expect(byKey['13']!.keptUntil).toBeGreaterThan(Date.now());
    expect(byKey['14']!.keptUntil).toBeLessThan(Date.now());
    expect(byKey['11']!.keptUntil).toBeNull();
    expect(byKey['14']!.ageMs).toBeGreaterThanOrEqual(3 * DAY);
  });

  it("prune removes leftovers and expired ones, --all the kept ones too, never a running daemon's", async () => {
    const { repo, env, dirs } = await setup();
    const userHead = repo.git(['rev-parse', 'HEAD']);
    const pruned = await runCli(['workspaces', 'prune', '--json'], { env });
    expect(pruned.code, pruned.stderr).toBe(0);
    const report = JSON.parse(pruned.stdout) as { removed: { key: string }[]; kept: { key: string }[] };
    expect(report.removed.map((e) => e.key).sort()).toEqual(['12', '14']);
    expect(report.kept.map((e) => e.key).sort()).toEqual(['11', '13']);
    expect(existsSync(dirs.leftover)).toBe(false);
    expect(existsSync(dirs.expired)).toBe(false);
    expect(existsSync(dirs.kept)).toBe(true);
    // The local board's way (no GitHub repository): a removed worktree's branch is the result.
    expect(branches(repo)).toEqual(['codex/11-work', 'codex/12-work', 'codex/13-work', 'codex/14-work']);

    const all = await runCli(['workspaces', 'prune', '--all'], { env });
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toContain('Removed 1 worktree: 13--1 (kept).');
    expect(all.stdout).toContain("1 active (a running daemon's): left alone.");
    expect(existsSync(dirs.kept)).toBe(false);
    expect(existsSync(dirs.active)).toBe(true);
    expect(repo.git(['worktree', 'list', '--porcelain'])).toContain(dirs.active);
    expect(repo.git(['rev-parse', 'HEAD'])).toBe(userHead);
    expect(repo.git(['status', '--porcelain'])).toBe('');
  });

  it('on the GitHub board a pruned worktree takes its local branch with it', async () => {
    const { repo, env } = await setup();
    const github = { ...env, GITHUB_REPOSITORY: 'acme/widgets', GITHUB_TOKEN: 'not-used', EXECUTOR: 'noop' };
    const pruned = await runCli(['workspaces', 'prune'], { env: github });
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(pruned.stdout).toContain('Removed 2 worktrees: 14--1 (expired), 12--1 (leftover).');
    expect(branches(repo)).toEqual(['codex/11-work', 'codex/13-work']);
  });

  it('prune refuses to run git in another repository than the worktrees belong to', async () => {
    const { env, dirs } = await setup();
    const other = gitFixture(tempDir());
    const refused = await runCli(['workspaces', 'prune', '--all'], {
      env: { ...env, CODEX_MONITOR_REPO_DIR: other.clone },
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('not to CODEX_MONITOR_REPO_DIR');
    expect(refused.stderr).toContain('nothing was pruned');
    for (const dir of Object.values(dirs)) expect(existsSync(dir)).toBe(true);
  });

  it('--help shows an example', async () => {
    const help = await runCli(['workspaces', 'prune', '--help']);
    expect(help.stdout).toContain('$ codex-monitor workspaces prune --all');
  });
});
