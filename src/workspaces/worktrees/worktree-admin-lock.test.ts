/**
 * Two daemons on one clone: one adds worktrees while the other prunes (as each does after a
 * removal). Without the admin lock a prune could meet an add's half-made entry and delete it,
 * and the add failed ("could not open '.git/worktrees/<name>/gitdir' for writing") — seen in CI.
 * Real git, real files; the prunes run as fast as git allows.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { useTempDirs } from '../../../tests/support/temp-dir.js';
import { gitFixture } from '../../../tests/workspaces/git-fixture.js';
import { ManualClock } from '../../core/clock.js';
import { processStartTicks } from '../../host/process-liveness.js';
import type { WorktreesOptions } from './worktree-types.js';
import { Worktrees } from './worktrees.js';

const tempDir = useTempDirs();

it('adds every worktree while another Worktrees on the same clone prunes over and over', async () => {
  const repo = gitFixture(tempDir());
  const options: WorktreesOptions = {
    repoDir: repo.clone,
    root: join(repo.dir, 'state-a', 'worktrees'),
    remote: null,
    baseBranch: 'main',
    freshRetry: false,
    keepFailedMs: 0,
    clock: new ManualClock(),
    owner: { pid: process.pid, pidStart: processStartTicks(process.pid) },
    env: repo.env,
  };
  const adder = new Worktrees(options);
  const pruner = new Worktrees({ ...options, root: join(repo.dir, 'state-b', 'worktrees') });
  let adding = true;
  let prunes = 0;
  const pruning = (async () => {
    while (adding) {
      await pruner.prune();
      prunes++;
      // A breath between prunes, as between two daemons' removals: the lock is not fair, and
      // a loop that takes it back at once would starve the adder.
      await sleep(2);
    }
  })();
  const failures: string[] = [];
  try {
    for (let i = 0; i < 60; i++) {
      await adder
        .prepare({ key: `t${i}`, branch: `codex/t${i}`, attempt: '1' })
        .catch((error: Error) => failures.push(error.message));
    }
  } finally {
    adding = false;
    await pruning;
  }
  expect(failures).toEqual([]);
  expect(prunes).toBeGreaterThan(10);
  expect(adder.list().filter((e) => e.status === 'active')).toHaveLength(60);
}, 120_000);
