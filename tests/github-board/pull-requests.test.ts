/**
 * From issue to pull request with real processes, real git and the fake's bare repository:
 * every completed issue ends in exactly one pull request whose branch holds only its edits.
 * Faults on the way (retries, pauses, crashes, refusals) are in pull-request-faults.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerChain, ownerIssues, seedIssues } from '../support/github-daemons.js';
import type { FakeGitHub } from '../support/github-fake/index.js';
import { changedFiles, git, pullsOf, startPullFake, workstation } from '../support/pull-request-fleet.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
let fake: FakeGitHub;
let remote: string;

beforeAll(async () => {
  fake = await startPullFake(tempDir());
  remote = fake.gitRemote('acme', 'widgets');
});
afterAll(() => fake.close());

describe('issues delivered as pull requests (real daemons, real git, the fake over HTTP)', () => {
  it('2 daemons × 2 slots on 10 issues: 10 pull requests, each branch holding exactly its issue’s edits', async () => {
    seedIssues(fake, ownerIssues(10));
    const fleet = [1, 2].map((n) => {
      const ws = workstation(fake, tempDir(), n, { PR_DRAFT: 'true', PR_LABELS: 'automated, codex' });
      return { clone: ws.clone, daemon: ws.start() };
    });
    const codes = await Promise.all(fleet.map((w) => w.daemon.exited));
    expect(codes, fleet.map((w) => w.daemon.output().slice(-3000)).join('\n----\n')).toEqual([0, 0]);
    const pulls = fake.state.pulls('acme/widgets');
    expect(pulls).toHaveLength(10);
    for (let issue = 1; issue <= 10; issue++) {
      const mine = pullsOf(fake, issue);
      expect(mine, `#${issue}`).toHaveLength(1);
      const branch = mine[0]!.pullRequest!.head;
      expect(branch).toBe(`codex/${issue}-task-${issue}`);
      expect(changedFiles(remote, branch)).toEqual([`issue-${issue}.md`]);
      // The ledger's release names the pull request; the state comment links it.
      const release = ledgerChain(fake, issue).at(-1)!;
      expect(release).toMatchObject({ kind: 'release', outcome: 'complete', pr: mine[0]!.number, branch });
      const comments = fake.state.comments('acme/widgets', issue).map((c) => c.body);
      expect(comments.some((b) => b.includes(`Pull request: #${mine[0]!.number}`))).toBe(true);
    }
    // PR_DRAFT and PR_LABELS: every pull request a draft, with the configured labels.
    for (const pull of pulls) {
      expect(pull.pullRequest!.draft).toBe(true);
      expect([...pull.labels].sort()).toEqual(['automated', 'codex']);
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
