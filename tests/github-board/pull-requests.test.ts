/**
 * From issue to pull request with real processes, real git and the fake's bare repository:
 * every completed issue ends in exactly one pull request whose branch holds only its edits.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli } from '../support/daemons.js';
import { githubEnv, ledgerChain, ownerIssues, seedIssues } from '../support/github-daemons.js';
import { type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';
import { useTempDirs } from '../support/temp-dir.js';

const AGENT = new URL('../../examples/scripted-agent.mjs', import.meta.url).pathname;
const tempDir = useTempDirs();
let fake: FakeGitHub;
let remote: string;

beforeAll(async () => {
  fake = await startFakeGitHub({
    gitRoot: tempDir(),
    secondaryPerMinute: 100_000,
    secondaryPerHour: 100_000,
  });
  remote = fake.gitRemote('acme', 'widgets');
});
afterAll(() => fake.close());

const git = (cwd: string, args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** A workstation: its own clone of the repository and its own state directory. */
function workstation(
  n: number,
  extra: Record<string, string> = {},
  args = ['--until-idle', '--parallel', '2'],
) {
  const dir = tempDir();
  const clone = join(dir, 'clone');
  mkdirSync(clone);
  git(dir, ['clone', '--quiet', remote, clone]);
  const env = githubEnv(fake, join(dir, 'state'), join(dir, 'markers.jsonl'), {
    EXECUTOR_COMMAND: `node ${AGENT}`,
    WORKSPACE: 'worktree',
    CODEX_MONITOR_REPO_DIR: clone,
    COMMIT_AUTHOR: 'codex-monitor <bot@example.test>',
    HOME: dir,
    ...extra,
  });
  return { clone, daemon: startCli(['run', '--owner', `ws${n}/codex`, ...args], env) };
}

/** Files a branch changes against main, in the fake's bare repository. */
const changedFiles = (branch: string) =>
  git(remote, ['diff', '--name-only', 'main', branch]).split('\n').filter(Boolean);

describe('issues delivered as pull requests (real daemons, real git, the fake over HTTP)', () => {
  it('2 daemons × 2 slots on 10 issues: 10 pull requests, each branch holding exactly its issue’s edits', async () => {
    seedIssues(fake, ownerIssues(10));
    const fleet = [workstation(1), workstation(2)];
    const codes = await Promise.all(fleet.map((w) => w.daemon.exited));
    expect(codes, fleet.map((w) => w.daemon.output().slice(-3000)).join('\n----\n')).toEqual([0, 0]);
    const pulls = fake.state.pulls('acme/widgets');
    expect(pulls).toHaveLength(10);
    for (let issue = 1; issue <= 10; issue++) {
      const mine = pulls.filter((p) => new RegExp(`Fixes #${issue}\\b`).test(p.body ?? ''));
      expect(mine, `#${issue}`).toHaveLength(1);
      const branch = mine[0]!.pullRequest!.head;
      expect(branch).toBe(`codex/${issue}-task-${issue}`);
      expect(changedFiles(branch)).toEqual([`issue-${issue}.md`]);
      // The ledger's release names the pull request; the state comment links it.
      const release = ledgerChain(fake, issue).at(-1)!;
      expect(release).toMatchObject({ kind: 'release', outcome: 'complete', pr: mine[0]!.number, branch });
      const comments = fake.state.comments('acme/widgets', issue).map((c) => c.body);
      expect(comments.some((b) => b.includes(`Pull request: #${mine[0]!.number}`))).toBe(true);
    }
    // The agent's summary went in as data: no one is pinged by it.
    expect(pulls[0]!.body).not.toMatch(/(^|\s)@someone/);
    // The users' own checkouts were never touched: still on main, clean, no work branches.
    for (const { clone } of fleet) {
      expect(git(clone, ['status', '--porcelain'])).toBe('');
      expect(git(clone, ['rev-parse', '--abbrev-ref', 'HEAD'])).toBe('main');
    }
  });
});
