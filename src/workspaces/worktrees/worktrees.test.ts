import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../tests/support/temp-dir.js';
import { type GitFixture, gitFixture } from '../../../tests/workspaces/git-fixture.js';
import { type Clock, ManualClock } from '../../core/clock.js';
import { processStartTicks } from '../../host/process-liveness.js';
import { UnknownWorkspaceError, WorkspaceBusyError } from './worktree-errors.js';
import type { WorktreesOptions } from './worktree-types.js';
import { Worktrees } from './worktrees.js';

const tempDir = useTempDirs();
const DAY = 86_400_000;
const self = { pid: process.pid, pidStart: processStartTicks(process.pid) };

function setup(overrides: Partial<WorktreesOptions> = {}) {
  const repo = gitFixture(tempDir());
  const clock = new ManualClock();
  const options: WorktreesOptions = {
    repoDir: repo.clone,
    root: join(repo.dir, 'state', 'worktrees'),
    remote: 'origin',
    baseBranch: 'main',
    freshRetry: false,
    keepFailedMs: DAY,
    clock,
    owner: self,
    env: repo.env,
    ...overrides,
  };
  return { repo, clock, options, worktrees: new Worktrees(options) };
}

/** Worktrees owned by another live process (a child that sleeps): another daemon's. */
function anotherDaemon(options: WorktreesOptions) {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  const other = new Worktrees({
    ...options,
    owner: { pid: child.pid!, pidStart: processStartTicks(child.pid!) },
  });
  return { child, other };
}

/** Everything of the user's checkout that must never change. */
function userState(repo: GitFixture) {
  return {
    head: repo.git(['symbolic-ref', 'HEAD']),
    status: repo.git(['status', '--porcelain=v1', '--untracked-files=all']),
    staged: repo.git(['diff', '--cached']),
    unstaged: repo.git(['diff']),
    branches: repo.git(['for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads']),
  };
}

describe('Worktrees.prepare and finish', () => {
  it('adds a worktree from the freshly fetched base, leaving the user’s checkout, index and branches intact', async () => {
    const { repo, worktrees, options } = setup();
    // The user is on another branch with staged, unstaged and untracked changes.
    repo.git(['checkout', '--quiet', '-b', 'feature']);
    writeFileSync(join(repo.clone, 'feature.txt'), 'feature work\n');
    repo.git(['add', 'feature.txt']);
    repo.git(['commit', '--quiet', '-m', 'feature']);
    writeFileSync(join(repo.clone, 'README.md'), '# widgets, edited\n');
    writeFileSync(join(repo.clone, 'staged.txt'), 'staged\n');
    repo.git(['add', 'staged.txt']);
    writeFileSync(join(repo.clone, 'untracked.txt'), 'untracked\n');
    const before = userState(repo);
    const remoteMain = repo.pushFromElsewhere('main', 'upstream.txt', 'newer main\n');

    const prepared = await worktrees.prepare({ key: '12', branch: 'codex/12-fix', attempt: '1' });
    expect(prepared).toMatchObject({ branch: 'codex/12-fix', baseSha: remoteMain, startSha: remoteMain });
    expect(prepared).toMatchObject({ continued: false, remoteSha: null });
    expect(prepared.dir.startsWith(options.root)).toBe(true);
    expect(readFileSync(join(prepared.dir, 'upstream.txt'), 'utf8')).toBe('newer main\n');
    expect(existsSync(join(prepared.dir, 'feature.txt'))).toBe(false);
    expect(repo.git(['rev-parse', 'HEAD'], prepared.dir)).toBe(remoteMain);
    expect(repo.git(['symbolic-ref', 'HEAD'], prepared.dir)).toBe('refs/heads/codex/12-fix');
    const during = userState(repo);
    expect({ ...during, branches: undefined }).toEqual({ ...before, branches: undefined });
    expect(during.branches.split('\n').sort()).toEqual(
      [...before.branches.split('\n'), `refs/heads/codex/12-fix ${remoteMain}`].sort(),
    );

    writeFileSync(join(prepared.dir, 'agent.txt'), 'work\n');
    await worktrees.finish(prepared.dir, { keep: false });
    expect(existsSync(prepared.dir)).toBe(false);
    expect(userState(repo)).toEqual(before);
    expect(worktrees.list()).toEqual([]);
    expect(repo.git(['worktree', 'list', '--porcelain'])).not.toContain(prepared.dir);
  });

  it('continues the branch another workstation pushed, unless told to start fresh', async () => {
    const { repo, worktrees, options } = setup();
    const pushed = repo.pushFromElsewhere('codex/12-fix', 'half-done.txt', 'from elsewhere\n');
    const base = repo.git(['rev-parse', 'HEAD'], repo.remote);

    const continued = await worktrees.prepare({ key: '12', branch: 'codex/12-fix', attempt: '2' });
    expect(continued).toMatchObject({ continued: true, startSha: pushed, remoteSha: pushed, baseSha: base });
    expect(readFileSync(join(continued.dir, 'half-done.txt'), 'utf8')).toBe('from elsewhere\n');
    await worktrees.finish(continued.dir, { keep: false });

    const fresh = await new Worktrees({ ...options, freshRetry: true }).prepare({
      key: '12',
      branch: 'codex/12-fix',
      attempt: '3',
    });
    expect(fresh).toMatchObject({ continued: false, startSha: base, remoteSha: pushed });
    expect(existsSync(join(fresh.dir, 'half-done.txt'))).toBe(false);
  });

  it('replaces a stale worktree of ours that holds the branch, and refuses the user’s checkout of it', async () => {
    const { repo, worktrees } = setup();
    const first = await worktrees.prepare({ key: '12', branch: 'codex/12-fix', attempt: '1' });
    await worktrees.finish(first.dir, { keep: true });
    const second = await worktrees.prepare({ key: '12', branch: 'codex/12-fix', attempt: '2' });
    expect(existsSync(first.dir)).toBe(false);
    expect(worktrees.list().map((e) => e.dir)).toEqual([second.dir]);
    await worktrees.finish(second.dir, { keep: false });

    repo.git(['checkout', '--quiet', '-b', 'codex/7-mine']);
    const before = userState(repo);
    const error = await worktrees
      .prepare({ key: '7', branch: 'codex/7-mine', attempt: '1' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkspaceBusyError);
    expect((error as WorkspaceBusyError).message).toContain(`the checkout ${repo.clone}`);
    expect(userState(repo)).toEqual(before);
  });

  it('refuses a branch held by another live daemon’s worktree', async () => {
    const { options } = setup({ busyWaitMs: 0 });
    const { child, other } = anotherDaemon(options);
    try {
      const held = await other.prepare({ key: '9', branch: 'codex/9-z', attempt: '1' });
      const error = await new Worktrees(options)
        .prepare({ key: '9', branch: 'codex/9-z', attempt: '2' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WorkspaceBusyError);
      expect((error as WorkspaceBusyError).message).toContain(`of process ${child.pid}`);
      expect(existsSync(held.dir)).toBe(true);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('waits for another live daemon’s attempt that lets go of the branch (it closes right after its release)', async () => {
    const { options, clock } = setup();
    const { child, other } = anotherDaemon(options);
    try {
      const held = await other.prepare({ key: '8', branch: 'codex/8-y', attempt: '1' });
      // This side's clock tells the test when it starts waiting for the other attempt.
      let waiting!: () => void;
      const isWaiting = new Promise<void>((resolve) => {
        waiting = resolve;
      });
      const watched: Clock = {
        now: () => clock.now(),
        monotonic: () => clock.monotonic(),
        sleep: (ms, signal) => {
          waiting();
          return clock.sleep(ms, signal);
        },
      };
      let settled = false;
      const next = new Worktrees({ ...options, clock: watched })
        .prepare({ key: '8', branch: 'codex/8-y', attempt: '2' })
        .finally(() => {
          settled = true;
        });
      await Promise.race([isWaiting, next]);
      await other.finish(held.dir, { keep: true }); // the other attempt ends: its worktree kept
      while (!settled) {
        clock.advance(50); // the waiting side's polls, on its (manual) clock
        await new Promise((r) => setTimeout(r, 5));
      }
      const prepared = await next;
      expect(prepared.branch).toBe('codex/8-y');
      expect(existsSync(prepared.dir)).toBe(true);
      expect(existsSync(held.dir)).toBe(false);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('leaves nothing behind when adding the worktree fails', async () => {
    const { repo, worktrees, options } = setup();
    writeFileSync(join(repo.clone, '.git', 'hooks', 'post-checkout'), '#!/bin/sh\nexit 3\n', { mode: 0o755 });
    await expect(worktrees.prepare({ key: '4', branch: 'codex/4-w', attempt: '1' })).rejects.toMatchObject({
      code: 'GIT_FAILED',
      subcommand: 'worktree',
    });
    expect(worktrees.list()).toEqual([]);
    expect(existsSync(join(options.root, '4--1'))).toBe(false);
    expect(repo.git(['worktree', 'list', '--porcelain'])).not.toContain(options.root);
  });

  it('knows its own worktrees under a symlinked state directory', async () => {
    const { repo, options } = setup();
    const link = join(repo.dir, 'state-link');
    symlinkSync(join(repo.dir, 'state'), link);
    const worktrees = new Worktrees({ ...options, root: join(link, 'worktrees') });
    const first = await worktrees.prepare({ key: '3', branch: 'codex/3-v', attempt: '1' });
    await worktrees.finish(first.dir, { keep: true });
    const second = await worktrees.prepare({ key: '3', branch: 'codex/3-v', attempt: '2' });
    expect(worktrees.list().map((e) => e.dir)).toEqual([second.dir]);
    await worktrees.finish(join(link, 'worktrees', '3--2'), { keep: false });
    expect(worktrees.list()).toEqual([]);
  });

  it('refuses to finish a directory that is not one of its worktrees', async () => {
    const { repo, worktrees } = setup();
    await expect(worktrees.finish(repo.clone, { keep: false })).rejects.toBeInstanceOf(UnknownWorkspaceError);
    expect(existsSync(join(repo.clone, 'README.md'))).toBe(true);
  });
});

describe('Worktrees without a remote (the local board)', () => {
  it('starts from the local base, keeps the branch as the result, and a retry continues it', async () => {
    const { repo, options } = setup();
    repo.git(['remote', 'remove', 'origin']);
    const local = new Worktrees({ ...options, remote: null });
    const base = repo.git(['rev-parse', 'main']);
    const first = await local.prepare({ key: 'task-a', branch: 'codex/task-a', attempt: '1' });
    expect(first).toMatchObject({ baseSha: base, startSha: base, remoteSha: null, continued: false });
    writeFileSync(join(first.dir, 'result.txt'), 'result\n');
    repo.git(['add', 'result.txt'], first.dir);
    repo.git(['commit', '--quiet', '-m', 'result'], first.dir);
    const result = repo.git(['rev-parse', 'HEAD'], first.dir);
    await local.finish(first.dir, { keep: false });
    expect(existsSync(first.dir)).toBe(false);
    expect(repo.git(['rev-parse', 'codex/task-a'])).toBe(result);

    const retry = await local.prepare({ key: 'task-a', branch: 'codex/task-a', attempt: '2' });
    expect(retry).toMatchObject({ startSha: result, continued: true, remoteSha: null });
    await local.finish(retry.dir, { keep: false, keepBranch: false });
    expect(repo.git(['branch', '--list', 'codex/task-a'])).toBe('');
    await expect(
      new Worktrees({ ...options, remote: null, baseBranch: 'trunk' }).prepare({
        key: 'b',
        branch: 'codex/b',
        attempt: '1',
      }),
    ).rejects.toMatchObject({
      code: 'GIT_FAILED',
      message: expect.stringContaining('found no local branch trunk'),
    });
  });
});

describe('Worktrees.list and prune', () => {
  it('keeps a failed attempt’s worktree until keepFailedMs, then prunes it as expired', async () => {
    const { repo, clock, worktrees } = setup();
    const kept = await worktrees.prepare({ key: '5', branch: 'codex/5-x', attempt: '1' });
    const active = await worktrees.prepare({ key: '6', branch: 'codex/6-y', attempt: '1' });
    await worktrees.finish(kept.dir, { keep: true });
    expect(worktrees.list().map((e) => [e.key, e.status, e.keepUntil])).toEqual([
      ['5', 'kept', clock.now() + DAY],
      ['6', 'active', null],
    ]);
    expect(await worktrees.prune()).toEqual([]);

    clock.advance(DAY + 1);
    expect(worktrees.list().map((e) => e.status)).toEqual(['expired', 'active']);
    const removed = await worktrees.prune();
    expect(removed.map((e) => [e.key, e.status])).toEqual([['5', 'expired']]);
    expect(existsSync(kept.dir)).toBe(false);
    expect(repo.git(['branch', '--list', 'codex/5-x'])).toBe('');
    expect(existsSync(active.dir)).toBe(true);
    expect(worktrees.list().map((e) => e.key)).toEqual(['6']);
  });

  it('prunes kept worktrees before their time with all, never an active one', async () => {
    const { worktrees } = setup();
    const kept = await worktrees.prepare({ key: '5', branch: 'codex/5-x', attempt: '1' });
    const active = await worktrees.prepare({ key: '6', branch: 'codex/6-y', attempt: '1' });
    await worktrees.finish(kept.dir, { keep: true });
    expect((await worktrees.prune({ all: true })).map((e) => e.key)).toEqual(['5']);
    expect(existsSync(active.dir)).toBe(true);
  });

  it('prunes the worktrees of a daemon that was killed', async () => {
    const { repo, options } = setup();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    const dead = { pid: child.pid!, pidStart: processStartTicks(child.pid!) };
    const crashed = new Worktrees({ ...options, owner: dead });
    const left = await crashed.prepare({ key: 'task-a', branch: 'codex/task-a', attempt: '1' });
    const mine = new Worktrees(options);
    const own = await mine.prepare({ key: 'task-b', branch: 'codex/task-b', attempt: '1' });
    expect(mine.list().map((e) => [e.key, e.status])).toEqual([
      ['task-a', 'active'],
      ['task-b', 'active'],
    ]);

    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(mine.list().map((e) => [e.key, e.status, e.ownerPid])).toEqual([
      ['task-a', 'leftover', dead.pid],
      ['task-b', 'active', process.pid],
    ]);
    const removed = await mine.prune();
    expect(removed.map((e) => e.key)).toEqual(['task-a']);
    expect(existsSync(left.dir)).toBe(false);
    expect(repo.git(['worktree', 'list', '--porcelain'])).not.toContain(left.dir);
    expect(repo.git(['branch', '--list', 'codex/task-a'])).toBe('');
    expect(existsSync(own.dir)).toBe(true);
  });
});
