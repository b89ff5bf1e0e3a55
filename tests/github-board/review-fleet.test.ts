/**
 * Propose → verify → apply with real processes against the fake (real git, its bare repository):
 * an author daemon (ws1, `--agent codex`, the scripted agent) delivers draft pull requests, and
 * two reviewer daemons (ws2, ws3, `--agent review`, REVIEW_EXECUTOR=shell with the scripted
 * reviewer on the `rev` token) review them. The author is configured to review too: it must never
 * review its own pull requests. The reviewer holding #5's review is paused (SIGSTOP) past the
 * stale threshold: the other takes it over, and the paused one's verdict never counts. One fake,
 * three daemons, every issue at once.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REVIEW_TOKENS } from '../github-fake/pull-setup.js';
import { type DaemonProcess, exitWithin, waitFor } from '../support/daemons.js';
import {
  type LedgerRecord,
  ledgerChain,
  logLines,
  ownerIssues,
  REPOSITORY,
  seedIssues,
} from '../support/github-daemons.js';
import { type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';
import { pullsOf, workstation } from '../support/pull-request-fleet.js';

// One directory for the whole file (useTempDirs empties its own after each test, under the
// daemons' feet): removed once they have stopped.
const root = mkdtempSync(join(tmpdir(), 'codex-monitor-review-fleet-'));
let made = 0;
const tempDir = () => {
  const dir = join(root, String(++made));
  mkdirSync(dir);
  return dir;
};
const REVIEWER = new URL('../fixtures/scripted-reviewer.mjs', import.meta.url).pathname;
const reviewing = { REVIEW_EXECUTOR: 'shell', REVIEW_COMMAND: `node ${REVIEWER} rounds`, PR_DRAFT: 'true' };
let fake: FakeGitHub;
let daemons: DaemonProcess[] = [];
let authorState: string;
const gateFile = join(root, 'gate');
const pauseFile = join(root, 'pause');

/** The records of a pull request's review chain, oldest first. */
function reviewChainOf(pr: number): Array<{ kind: string; owner: string; reason?: string }> {
  const tip = fake.state.ref(REPOSITORY, `refs/codex-monitor/reviews/${pr}`);
  if (!tip) return [];
  return fake.state
    .history(REPOSITORY, tip)
    .map((c) => JSON.parse(c.message.slice(c.message.indexOf('\n\n') + 2)))
    .reverse();
}

/**
 * #5: whichever reviewer claims its review is paused (SIGSTOP) while its agent waits at the pause
 * file; once the other has taken the chain over on its own clock the agents go on, and after the
 * taker's verdict the paused daemon is continued. What the paused one did with its verdict: the
 * `review of #N: <kind>` it logged.
 */
async function pauseTheHolder(): Promise<{ holder: string; taker: string; kind: string }> {
  const pr = (await waitFor(() => pullsOf(fake, 5)[0], 60_000, 'the pull request of #5')).number;
  const claimed = () => reviewChainOf(pr).at(-1);
  const holder = (
    await waitFor(() => claimed()?.kind === 'review-claim' && claimed(), 60_000, 'a review claim')
  ).owner;
  const paused = daemons[Number(/^ws(\d)/.exec(holder)![1]) - 1]!;
  paused.child.kill('SIGSTOP');
  try {
    await waitFor(() => claimed()?.owner !== holder, 30_000, 'the other reviewer to take #5 over');
    writeFileSync(pauseFile, 'go');
    await waitFor(() => verified(5), 30_000, '#5 verified by the taker');
  } finally {
    paused.child.kill('SIGCONT');
  }
  const said = await waitFor(
    () => logLines(paused).find((l) => String(l.msg).startsWith(`review of #${pr}: `)),
    20_000,
    'the paused reviewer to end its round',
  );
  return { holder, taker: claimed()!.owner, kind: String(said.kind) };
}
let paused: { holder: string; taker: string; kind: string };

/** A person (alice, COLLABORATOR) approves #4's pull request while the agent waits at its gate. */
async function personApproves(): Promise<void> {
  const pull = await waitFor(() => pullsOf(fake, 4)[0], 60_000, 'the pull request of #4');
  const octokit = new Octokit({ baseUrl: fake.url, auth: 'human', log: quiet });
  await octokit.rest.pulls.createReview({
    owner: 'acme',
    repo: 'widgets',
    pull_number: pull.number,
    event: 'APPROVE',
  });
  writeFileSync(gateFile, 'go');
}

/** The state comment of an issue (its body), '' while there is none. */
const stateComment = (issue: number) =>
  fake.state.comments(REPOSITORY, issue).find((c) => c.body.includes('codex-monitor-state'))?.body ?? '';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const verified = (issue: number) => {
  const tip = ledgerChain(fake, issue).at(-1) as LedgerRecord | undefined;
  return tip?.kind === 'release' && tip.verifiedBy ? tip : null;
};
const reviewsOf = async (pr: number) => {
  const octokit = new Octokit({
    baseUrl: fake.url,
    auth: 'test-token',
    log: quiet,
  });
  const { data } = await octokit.rest.pulls.listReviews({ owner: 'acme', repo: 'widgets', pull_number: pr });
  return data.map((r) => ({ state: r.state, login: r.user?.login }));
};

beforeAll(async () => {
  fake = await startFakeGitHub({
    gitRoot: tempDir(),
    secondaryPerMinute: 100_000,
    secondaryPerHour: 100_000,
    tokens: REVIEW_TOKENS,
  });
  // The scripted reviewer approves a diff with two "(epoch E)" lines: #1 brings one in its body
  // (approved at once), #2 gets its second from the attempt that answers the review.
  seedIssues(fake, [
    ...ownerIssues(5, (n) => ({
      body: [
        'Approve me.\n(epoch 0)',
        'Needs a second pass.',
        'Never good enough.\n[reject]',
        `A person decides.\n[gate ${gateFile}]`,
        `Reviewed while paused.\n(epoch 0)\n[pause ${pauseFile}]`,
      ][n - 1],
      labels: ['agent:codex'],
    })),
  ]);
  const author = workstation(fake, tempDir(), 1, reviewing);
  const reviewers = [2, 3].map((n) => workstation(fake, tempDir(), n, { ...reviewing, GITHUB_TOKEN: 'rev' }));
  authorState = author.stateDir;
  daemons = [author.start(['--agent', 'codex']), ...reviewers.map((r) => r.start(['--agent', 'review']))];
  const out = () => daemons.map((d) => d.output().slice(-3000)).join('\n----\n');
  const poisoned = () => ledgerChain(fake, 3).at(-1)?.kind === 'poison';
  const person = personApproves();
  person.catch(() => undefined); // reported by the await below, or by the wait's timeout
  const pausing = pauseTheHolder();
  pausing.catch(() => undefined);
  await waitFor(
    () => verified(1) && verified(2) && poisoned() && verified(4) && verified(5),
    90_000,
    'all five settled',
  ).catch((error) => {
    throw new Error(
      `${error}\n${JSON.stringify([1, 2, 3, 4, 5].map((n) => ledgerChain(fake, n).at(-1)))}\n${out()}`,
    );
  });
  await person;
  paused = await pausing.catch((error) => {
    throw new Error(`${error}\n${out()}`);
  });
}, 120_000);
afterAll(async () => {
  for (const d of daemons) d.child.kill('SIGCONT'); // a test that failed mid-pause
  for (const d of daemons) d.child.kill('SIGTERM');
  for (const d of daemons) await exitWithin(d, 15_000);
  await fake?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('a reviewer daemon verifies the author daemon’s pull requests (real processes)', () => {
  it('approve: verified by the reviewer in the ledger, the PR out of draft, codex:verified on the issue', async () => {
    // The reviewer writes the verdict on the issue chain, over the author's completed release.
    expect(verified(1)).toMatchObject({
      outcome: 'complete',
      verifiedBy: expect.stringMatching(/^ws[23]\/codex$/),
    });
    expect(ledgerChain(fake, 1).filter((r) => r.kind === 'release')[0]).toMatchObject({ owner: 'ws1/codex' });
    const [pull] = pullsOf(fake, 1);
    expect(pullsOf(fake, 1)).toHaveLength(1);
    expect(pull!.pullRequest!.draft).toBe(false);
    expect(await reviewsOf(pull!.number)).toEqual([{ state: 'APPROVED', login: 'reviewer-bot' }]);
    await waitFor(
      () => fake.state.issue('acme/widgets', 1)?.labels.includes('codex:verified'),
      20_000,
      'codex:verified on #1',
    );
    // The state comment says who verified it, not only the label.
    const by = verified(1)!.verifiedBy as string;
    await waitFor(
      () => stateComment(1).includes(`- Verified by \`${by}\``),
      20_000,
      'verified by in #1’s comment',
    );
  });

  it('request changes: the issue goes back, the next attempt reads the review, the same PR is updated and approved', async () => {
    const pulls = pullsOf(fake, 2);
    expect(pulls).toHaveLength(1); // updated, not duplicated
    expect(await reviewsOf(pulls[0]!.number)).toEqual([
      { state: 'CHANGES_REQUESTED', login: 'reviewer-bot' },
      { state: 'APPROVED', login: 'reviewer-bot' },
    ]);
    const chain = ledgerChain(fake, 2);
    const sentBack = chain.find((r) => r.kind === 'release' && r.outcome === 'abandoned' && r.review);
    expect(sentBack).toMatchObject({ pr: pulls[0]!.number });
    expect(verified(2)).toMatchObject({
      pr: pulls[0]!.number,
      verifiedBy: expect.stringMatching(/^ws[23]\/codex$/),
    });
    // The second attempt was given the review: its review.md under the author's state directory.
    const files = readdirSync(authorState, { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('review.md'),
    );
    expect(files.length).toBeGreaterThan(0);
    expect(readFileSync(join(authorState, files[0]!), 'utf8')).toContain('change.txt must say good');
  });

  it('max rounds: after REVIEW_MAX_ROUNDS (2) change requests the issue is poisoned for a human, codex:failed', async () => {
    const pulls = pullsOf(fake, 3);
    expect(pulls).toHaveLength(1);
    expect((await reviewsOf(pulls[0]!.number)).map((r) => r.state)).toEqual([
      'CHANGES_REQUESTED',
      'CHANGES_REQUESTED',
    ]);
    expect(ledgerChain(fake, 3).at(-1)).toMatchObject({ kind: 'poison' });
    await waitFor(
      () => fake.state.issue('acme/widgets', 3)?.labels.includes('codex:failed'),
      20_000,
      'codex:failed on #3',
    );
  });

  it('a person’s approval wins over the agent’s change request: verified by human:alice, the agent’s review never posted', async () => {
    expect(verified(4)).toMatchObject({ verifiedBy: 'human:alice' });
    await waitFor(
      () => stateComment(4).includes('- Verified by `human:alice`'),
      20_000,
      'verified by human:alice in #4’s comment',
    );
    expect(await reviewsOf(pullsOf(fake, 4)[0]!.number)).toEqual([{ state: 'APPROVED', login: 'alice' }]);
  });

  it('the author’s owner never reviews its own pull requests, though it is configured to review', async () => {
    for (const issue of [1, 2, 3, 5]) {
      const reviews = await reviewsOf(pullsOf(fake, issue)[0]!.number);
      expect(reviews.every((r) => r.login === 'reviewer-bot')).toBe(true);
    }
  });

  it('a reviewer paused past the stale threshold is taken over, and its verdict is never posted', async () => {
    const { holder, taker, kind } = paused;
    expect(taker).toMatch(/^ws[23]\/codex$/);
    expect(taker).not.toBe(holder);
    const pr = pullsOf(fake, 5)[0]!.number;
    // The taker's claim says whom it took over from; the paused one wrote nothing after its claim.
    const chain = reviewChainOf(pr);
    const takeover = chain.findIndex((r) => r.owner === taker);
    expect(chain[takeover]).toMatchObject({ kind: 'review-claim', reason: `took over from ${holder}` });
    expect(chain.slice(takeover).every((r) => r.owner === taker)).toBe(true);
    expect(verified(5)).toMatchObject({ verifiedBy: taker });
    // On waking it fenced itself (renew deadline), or the chain's fence refused it, or at worst
    // it dismissed what it had posted: one approval stands, the taker's.
    expect(['self-fenced', 'not-posted', 'dismissed']).toContain(kind);
    const standing = (await reviewsOf(pr)).filter((r) => r.state !== 'DISMISSED');
    expect(standing).toEqual([{ state: 'APPROVED', login: 'reviewer-bot' }]);
  });
});
