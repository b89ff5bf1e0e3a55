import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { MARKER, readMarkers, startCli, waitFor } from '../support/daemons.js';
import { githubEnv, ledgerChain, ownerIssues, REPOSITORY, seedIssues } from '../support/github-daemons.js';
import { type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const fakes: FakeGitHub[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});

async function newFake(opts: Parameters<typeof startFakeGitHub>[0] = {}): Promise<FakeGitHub> {
  const fake = await startFakeGitHub({ secondaryPerMinute: 100_000, secondaryPerHour: 100_000, ...opts });
  fakes.push(fake);
  return fake;
}

const octokit = (fake: FakeGitHub) =>
  new Octokit({
    baseUrl: fake.url,
    auth: 'test-token',
    log: { debug() {}, info() {}, warn() {}, error() {} },
  });

function kinds(fake: FakeGitHub, issue: number): string[] {
  return ledgerChain(fake, issue).map((r) => (r.outcome ? `${r.kind}:${r.outcome}` : r.kind));
}

const stateComments = (fake: FakeGitHub, issue: number) =>
  fake.state.comments(REPOSITORY, issue).filter((c) => c.body.includes('codex-monitor-state'));

describe('GitHub board: humans steering, the state comment, lost responses and limits', () => {
  it('codex:ignore added mid-run stops the attempt within a cycle and releases it with that reason', async () => {
    const fake = await newFake();
    seedIssues(fake, ownerIssues(1));
    const markers = join(tempDir(), 'markers.jsonl');
    const env = githubEnv(fake, join(tempDir(), 'state'), markers, {
      EXECUTOR_COMMAND: `node ${MARKER} ${markers} 60000`,
    });
    const daemon = startCli(['run', '--until-idle', '--owner', 'ws1/codex'], env);
    await waitFor(() => readMarkers(markers).length === 1, 30_000, 'the attempt to start');
    await octokit(fake).rest.issues.addLabels({
      owner: 'acme',
      repo: 'widgets',
      issue_number: 1,
      labels: ['codex:ignore'],
    });
    expect(await daemon.exited, daemon.output().slice(-2000)).toBe(0);
    expect(kinds(fake, 1)).toEqual(['claim', 'release:abandoned']);
    const tip = fake.state.ref(REPOSITORY, 'refs/codex-monitor/tasks/1')!;
    expect(fake.state.commit(REPOSITORY, tip)!.message).toMatch(/ignored/);
    expect(fake.state.issue(REPOSITORY, 1)!.labels).toEqual(['codex:ignore']);
    expect(() => process.kill(readMarkers(markers)[0]!.pid, 0)).toThrow(); // the attempt's process is gone
  });

  it('poisons after the retry limit (codex:failed, comment), and codex:retry brings the issue back', async () => {
    const fake = await newFake();
    seedIssues(fake, ownerIssues(1));
    const dir = join(tempDir(), 'state');
    const markers = join(tempDir(), 'markers.jsonl');
    const failing = githubEnv(fake, dir, markers, {
      SHARED_STATE_MAX_RETRIES: '2',
      EXECUTOR_COMMAND: `node -e "console.error('tests are red'), process.exit(1)"`,
    });
    const first = await runCli(['run', '--until-idle', '--owner', 'ws1/codex'], { env: failing });
    expect(first.code, first.stderr.slice(-2000)).toBe(1); // it ended with poisoned work
    expect(kinds(fake, 1)).toEqual(['claim', 'release:failed', 'claim', 'release:failed', 'poison']);
    expect(fake.state.issue(REPOSITORY, 1)!.labels).toEqual(['codex:failed']);
    expect(stateComments(fake, 1)).toHaveLength(1);
    expect(stateComments(fake, 1)[0]!.body).toMatch(/poisoned/);
    // The failed version keeps the attempt's artifacts line, as every other version does.
    expect(stateComments(fake, 1)[0]!.body).toMatch(
      /- Artifacts: `[^`/]+\/\d+` in the owner's state directory/,
    );
    // The agent's stderr stays off the public comment unless CODEX_MONITOR_PUBLISH_ERRORS=true.
    expect(stateComments(fake, 1)[0]!.body).not.toMatch(/tests are red/);

    await octokit(fake).rest.issues.addLabels({
      owner: 'acme',
      repo: 'widgets',
      issue_number: 1,
      labels: ['codex:retry'],
    });
    const passing = { ...failing, EXECUTOR_COMMAND: `node ${MARKER} ${markers} 10` };
    const second = await runCli(['run', '--until-idle', '--owner', 'ws1/codex'], { env: passing });
    expect(second.code, second.stderr.slice(-2000)).toBe(0);
    expect(kinds(fake, 1).slice(5)).toEqual(['reset', 'claim', 'release:complete']);
    expect(fake.state.issue(REPOSITORY, 1)!.labels).toEqual(['codex:done']);
    expect(stateComments(fake, 1)).toHaveLength(1); // edited in place throughout
  });

  it('codex-monitor retry <n> resets a poisoned issue from the command line', async () => {
    const fake = await newFake();
    seedIssues(fake, ownerIssues(1));
    const env = githubEnv(fake, join(tempDir(), 'state'), join(tempDir(), 'm.jsonl'), {
      SHARED_STATE_MAX_RETRIES: '1',
      EXECUTOR_COMMAND: 'node -e "process.exit(2)"',
    });
    await runCli(['run', '--until-idle', '--owner', 'ws1/codex'], { env });
    expect(kinds(fake, 1).at(-1)).toBe('poison');
    const retried = await runCli(['retry', '#1'], { env });
    expect(retried.stdout).toBe('#1 is ready again with a fresh retry budget.\n');
    expect(kinds(fake, 1).at(-1)).toBe('reset');
    expect(fake.state.issue(REPOSITORY, 1)!.labels).toEqual([]);
  });

  it('codex-monitor ignore --reason labels the issue and tells the humans on it why', async () => {
    const fake = await newFake();
    seedIssues(fake, ownerIssues(1));
    const env = githubEnv(fake, join(tempDir(), 'state'), join(tempDir(), 'm.jsonl'));
    const reason = 'a human takes over <!-- codex-monitor-state {"v":2} --> `x`';
    const ignored = await runCli(['ignore', '1', '--reason', reason], { env });
    expect(ignored.code, ignored.stderr).toBe(0);
    expect(fake.state.issue(REPOSITORY, 1)!.labels).toEqual(['codex:ignore']);
    const notes = fake.state.comments(REPOSITORY, 1);
    expect(notes).toHaveLength(1);
    expect(notes[0]!.body).toContain('- Reason: `a human takes over');
    // The operator's text cannot open a state block (or end the code span).
    expect(notes[0]!.body).not.toContain('<!--');
  });

  it('finds the state comment behind 150 others, migrates the original block, and ignores a malformed one', async () => {
    const fake = await newFake();
    const filler = Array.from({ length: 150 }, (_, i) => ({ body: `comment ${i + 1}`, user: 'someone' }));
    const original =
      '<!-- codex-monitor-state\n{"ownerId":"old-ws/agent","attemptToken":"t1","attemptStarted":"2026-02-14T17:00:00Z","heartbeat":"2026-02-14T17:30:00Z","status":"working","retryCount":1}\n-->\nOld status';
    seedIssues(fake, [
      {
        title: 'Long thread',
        authorAssociation: 'OWNER',
        comments: [
          // State comments count only from trusted authors (issue 9, item 7).
          { body: original, user: 'bot', authorAssociation: 'MEMBER' },
          ...filler,
          { body: '<!-- codex-monitor-state {not json -->', user: 'x', authorAssociation: 'MEMBER' },
        ],
      },
    ]);
    const originalId = fake.state.comments(REPOSITORY, 1)[0]!.id;
    const markers = join(tempDir(), 'markers.jsonl');
    const run = await runCli(['run', '--until-idle', '--owner', 'ws1/codex'], {
      env: githubEnv(fake, join(tempDir(), 'state'), markers),
    });
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    const comments = fake.state.comments(REPOSITORY, 1);
    expect(comments).toHaveLength(152); // edited in place: no new comment
    const edited = comments.find((c) => c.id === originalId)!;
    expect(edited.body).toMatch(/"v":2/);
    expect(edited.body).toMatch(/ws1\/codex/);
    // Public: the artifact id, never the owner's local paths (issue 9, item 15).
    expect(edited.body).toMatch(/- Artifacts: `[^`/]+\/\d+`/);
    expect(edited.body).not.toContain(tmpdir());
    expect(run.stderr).toMatch(/malformed codex-monitor-state block/);
  });

  it('a lost POST response (applied, answer lost) creates no duplicate and no second execution', async () => {
    const fake = await newFake({ rngSeed: 7 });
    seedIssues(fake, ownerIssues(10));
    fake.setKnobs({ lostResponseRate: 0.15 });
    const markers = join(tempDir(), 'markers.jsonl');
    const runs = await Promise.all(
      ['ws1/codex', 'ws2/codex'].map((owner) =>
        runCli(['run', '--until-idle', '--owner', owner, '--parallel', '2'], {
          env: githubEnv(fake, join(tempDir(), 'state'), markers),
        }),
      ),
    );
    fake.setKnobs({ lostResponseRate: 0 });
    expect(
      runs.map((r) => r.code),
      runs.map((r) => r.stderr.slice(-1500)).join('\n'),
    ).toEqual([0, 0]);
    expect(fake.stats().lostResponses).toBeGreaterThan(0);
    const starts = readMarkers(markers).filter((r) => r.phase === 'start');
    expect(new Set(starts.map((s) => s.task)).size).toBe(10);
    // At most one execution per claim the ledger granted, never two at once: a lost answer
    // starts nothing twice. More than one claim of an issue is an owner that gave its claim
    // back (abandoned: it could not renew in time, a starved machine can do that with the 3 s
    // threshold here) or was taken over once seen silent; either way one completion is recorded.
    for (let issue = 1; issue <= 10; issue++) {
      const chain = ledgerChain(fake, issue);
      const claims = chain.filter((r) => r.kind === 'claim');
      const ran = starts.filter((s) => s.task.endsWith(`#${issue}`));
      const story = chain.map(
        (r) => `${r.kind}${r.outcome ? `:${r.outcome}` : ''}${r.reason ? `(${r.reason})` : ''}`,
      );
      expect(ran.length, `#${issue}: ${story.join(' ')}`).toBeGreaterThanOrEqual(1);
      expect(ran.length, `#${issue}: ${story.join(' ')}`).toBeLessThanOrEqual(claims.length);
      expect(
        ran.every((s) => (s.concurrent ?? []).length === 0),
        `#${issue} ran twice at once`,
      ).toBe(true);
      expect(
        kinds(fake, issue).filter((k) => k === 'release:complete'),
        `#${issue}`,
      ).toHaveLength(1);
      expect(stateComments(fake, issue).length, `#${issue}`).toBeLessThanOrEqual(1);
    }
  });

  it('keeps running through an exhausted rate limit, says so in status, and resumes when it lifts', async () => {
    const fake = await newFake({ primaryLimit: 25 });
    seedIssues(fake, ownerIssues(5));
    const markers = join(tempDir(), 'markers.jsonl');
    const env = githubEnv(fake, join(tempDir(), 'state'), markers);
    const daemon = startCli(['run', '--until-idle', '--owner', 'ws1/codex'], env);
    await waitFor(() => fake.stats().primaryLimitHits > 0, 30_000, 'the primary limit to run out');
    await new Promise((r) => setTimeout(r, 500));
    // status itself meets the limit: it says so at once, with the daemon's wait, instead of waiting.
    const status = await runCli(['status', '--json'], { env });
    expect(status.code, status.stderr).toBe(1);
    const seen = JSON.parse(status.stdout);
    expect(seen.unreadable).toMatch(/rate limit/i);
    expect(seen.local.rateLimit).toMatchObject({ kind: 'primary' });
    expect(daemon.child.exitCode).toBeNull(); // still running, waiting
    // The hour ends (quickly, here) as often as needed until the work is done.
    const hours = setInterval(() => fake.resetLimits(), 500);
    try {
      const exited = await Promise.race([
        daemon.exited,
        new Promise((r) => setTimeout(() => r('timeout'), 40_000)),
      ]);
      expect(exited, daemon.output().slice(-3000)).toBe(0);
    } finally {
      clearInterval(hours);
    }
    expect(new Set(readMarkers(markers).map((r) => r.task)).size).toBe(5);
    expect(readMarkers(markers).filter((r) => r.phase === 'start')).toHaveLength(5);
  });
});
