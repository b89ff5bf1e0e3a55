/**
 * The fleet's delivery judge (tests/support/fleet/delivery-check.ts) on a fake holding real
 * branches and pull requests: it must accept a delivered issue and catch each way a fenced
 * attempt can leave something behind, or it would let the bench report a false 0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPullBody } from '../../src/boards/github/pulls/index.js';
import { deliveryFigures } from '../support/fleet/delivery-check.js';
import type { LedgerRecord } from '../support/github-daemons.js';
import { type FakeGitHub, pushBranch, startFakeGitHub } from '../support/github-fake/index.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
let fake: FakeGitHub;
let remote: string;

beforeAll(async () => {
  fake = await startFakeGitHub({ gitRoot: tempDir() });
  fake.seed({
    repos: [
      {
        owner: 'acme',
        name: 'widgets',
        issues: [1, 2, 3, 4, 5].map((n) => ({ title: `Task ${n}`, authorAssociation: 'OWNER' as const })),
      },
    ],
  });
  remote = fake.gitRemote('acme', 'widgets');
});
afterAll(() => fake.close());

/** Pushes the issue's branch and opens its pull request as `owner` at `epoch` would. */
async function deliver(issue: number, owner: string, epoch: number): Promise<number> {
  const branch = `codex/${issue}-task-${issue}`;
  pushBranch(remote, branch, { [`issue-${issue}.md`]: `by ${owner}` });
  const res = await fetch(`${fake.url}/repos/acme/widgets/pulls`, {
    method: 'POST',
    headers: { authorization: 'token test-token', 'content-type': 'application/json' },
    body: JSON.stringify({
      title: `Task ${issue}`,
      head: branch,
      base: 'main',
      body: renderPullBody({ issue, summary: null, attempt: 1, epoch, owner }),
    }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { number: number }).number;
}

const record = (
  kind: string,
  owner: string,
  epoch: number,
  attempt: string,
  extra: Partial<LedgerRecord> = {},
): LedgerRecord => ({ kind, owner, epoch, attempt, ...extra });

describe('deliveryFigures', () => {
  it('accepts a delivered issue and names what fenced attempts left behind', async () => {
    // #1 delivered by its one owner: claim, fence, release naming the pull request.
    const pull1 = await deliver(1, 'ws1/codex', 1);
    // #2: ws1's claim (epoch 1) was taken over by ws2 (epoch 3), which released; the open
    // pull request is still the one ws1 wrote after it was fenced.
    const pull2 = await deliver(2, 'ws1/codex', 1);
    // #3: a branch pushed and nothing else (a crash before the pull request, never recovered).
    pushBranch(remote, 'codex/3-task-3', { 'issue-3.md': 'x' });
    // #4: completed, yet no pull request.
    const branch = (n: number) => ({ branch: `codex/${n}-task-${n}` });
    const chains = new Map<number, LedgerRecord[]>([
      [
        1,
        [
          record('claim', 'ws1/codex', 1, 'a1'),
          record('claim', 'ws1/codex', 2, 'a1', { phase: 'deliver', ...branch(1) }),
          record('release', 'ws1/codex', 3, 'a1', { outcome: 'complete', pr: pull1, ...branch(1) }),
        ],
      ],
      [
        2,
        [
          record('claim', 'ws1/codex', 1, 'a1'),
          record('claim', 'ws1/codex', 2, 'a1', { phase: 'deliver', ...branch(2) }),
          record('claim', 'ws2/codex', 3, 'b1', branch(2)),
          record('release', 'ws2/codex', 4, 'b1', { outcome: 'complete', pr: pull2, ...branch(2) }),
        ],
      ],
      [
        4,
        [
          record('claim', 'ws1/codex', 1, 'c1'),
          record('release', 'ws1/codex', 2, 'c1', { outcome: 'complete' }),
        ],
      ],
    ]);
    const figures = deliveryFigures(fake, 'acme/widgets', remote, chains, {
      byRoute: { 'POST /repos/{owner}/{repo}/pulls': 2, 'GET /repos/{owner}/{repo}/pulls': 4, 'GET /x': 9 },
    });
    expect(figures).toMatchObject({
      completed: 3,
      withOnePull: 2,
      wrongPullCount: [{ issue: 4, pulls: [] }],
      pullsOpened: 2,
      closedUnmerged: 0,
      branchesLeftByFenced: ['codex/3-task-3'],
      pullCallsPerCompletedIssue: 2,
    });
    expect(figures.pullsLeftByFenced).toEqual([
      { pull: pull2, issue: 2, why: 'written by ws1/codex (epoch 1), released by ws2/codex (epoch 4)' },
    ]);
  });
});
