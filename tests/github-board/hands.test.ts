import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { type DaemonProcess, exitWithin, readMarkers, startCli, waitFor } from '../support/daemons.js';
import { githubEnv, ledgerChain, ownerIssues, REPOSITORY, seedIssues } from '../support/github-daemons.js';
import { type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';

const stateComment = (fake: FakeGitHub, issue: number) =>
  fake.state.comments(REPOSITORY, issue).find((c) => c.body.includes('codex-monitor-state'))?.body ?? '';

/**
 * Hand claims on the GitHub board (issue 15), real processes against the fake: people on
 * separate workstations claiming one issue at once, and a daemon beside a person's `hold`.
 */
describe('GitHub board: claim, hold, release by hand', () => {
  let fake: FakeGitHub;
  let dir: string;
  let markers: string;
  const running: DaemonProcess[] = [];
  /** A workstation of its own (state directory) for `name`. */
  const env = (name: string) => githubEnv(fake, join(dir, name), markers);

  beforeAll(async () => {
    fake = await startFakeGitHub({ secondaryPerMinute: 100_000, secondaryPerHour: 100_000 });
    seedIssues(fake, ownerIssues(3));
    // One directory for the file (its tests share the fake): useTempDirs' is per test.
    dir = mkdtempSync(join(tmpdir(), 'codex-monitor-test-'));
    markers = join(dir, 'markers.jsonl');
  });

  afterAll(async () => {
    for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await fake?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('three people claiming one issue at once: one wins, the comment says "by hand", next skips it; release --pr records it', async () => {
    const people = ['ws1/ana', 'ws2/ben', 'ws3/cy'];
    const answers = await Promise.all(
      people.map((p) => runCli(['claim', '1', '--owner', p, '--json'], { env: env(p.replace('/', '-')) })),
    );
    const won = answers.filter((a) => a.code === 0);
    expect(won, answers.map((a) => a.stderr).join('\n')).toHaveLength(1);
    for (const lost of answers.filter((a) => a.code !== 0)) {
      expect(lost.code).toBe(1);
      expect(lost.stderr).toMatch(/Cannot claim #1/);
    }
    const winner = (JSON.parse(won[0]!.stdout) as { claim: { owner: string } }).claim.owner;
    expect(ledgerChain(fake, 1)).toMatchObject([
      { kind: 'claim', owner: winner, hand: true, leaseMs: 7_200_000 },
    ]);
    expect(stateComment(fake, 1)).toMatch(
      new RegExp(`- Held by \`${winner}\`, by hand, until \\d\\d:\\d\\d UTC`),
    );
    expect(fake.state.issue(REPOSITORY, 1)!.labels).toEqual(['codex:claimed']);

    const home = env(winner.replace('/', '-'));
    // What the fleet would take next skips the held issue.
    const next = await runCli(['next', '--owner', winner, '--json'], { env: home });
    expect(JSON.parse(next.stdout)).toMatchObject({ action: 'next', task: `${REPOSITORY}#2`, held: false });
    const mine = await runCli(['mine', '--owner', winner, '--json'], { env: home });
    expect(JSON.parse(mine.stdout)).toMatchObject([{ issue: 1, owner: winner, epoch: 1 }]);
    const args = ['release', '#1', '--outcome', 'complete', '--pr', '7', '--owner', winner, '--json'];
    const released = await runCli(args, { env: home });
    expect(released.code, released.stderr).toBe(0);
    expect(ledgerChain(fake, 1).map((r) => [r.kind, r.outcome ?? null, r.pr ?? null])).toEqual([
      ['claim', null, null],
      ['release', 'complete', 7],
    ]);
    expect(fake.state.issue(REPOSITORY, 1)!.labels).toEqual(['codex:done']);
  });

  it('a daemon works the free issue, never the held one, and takes the held one over once the person’s lease is out', async () => {
    const alice = ['--owner', 'ws3/alice'];
    const home = env('ws3-alice');
    const claimed = await runCli(['claim', '2', '--ttl', '5s', ...alice], { env: home });
    expect(claimed.code, claimed.stderr).toBe(0);
    const hold = startCli(['hold', '2', ...alice, '--json'], home);
    running.push(hold);
    await waitFor(() => hold.output().includes('"event":"heartbeat"'), 30_000, 'the first heartbeat of hold');
    const daemon = startCli(['run', '--until-idle', '--owner', 'ws1/codex'], env('ws1-codex'));
    running.push(daemon);

    expect(await exitWithin(hold, 30_000), hold.output()).toBe(0);
    expect(hold.output().trim().split('\n').at(-1)).toMatch(/"event":"end","reason":"lease-ended"/);
    expect(await exitWithin(daemon, 60_000), daemon.output().slice(-3000)).toBe(0);

    const ran = readMarkers(markers).filter((m) => m.phase === 'start');
    expect(ran.map((m) => m.task)).toEqual(expect.arrayContaining([`${REPOSITORY}#2`, `${REPOSITORY}#3`]));
    // Issue 3 was never anyone's but the daemon's; issue 2's only daemon claim follows the
    // person's directly: taken over once the lease ran out on the daemon's own clock, or once
    // the person fell silent after `hold` stopped at the lease's end — whichever the daemon
    // saw first (it started late enough for either) — and without spending a retry.
    expect(ledgerChain(fake, 3).map((r) => r.owner)).toEqual(['ws1/codex', 'ws1/codex']);
    const chain = ledgerChain(fake, 2);
    expect(chain.map((r) => [r.kind, r.owner])).toEqual([
      ['claim', 'ws3/alice'],
      ['claim', 'ws1/codex'],
      ['release', 'ws1/codex'],
    ]);
    expect(chain[1]).toMatchObject({
      retries: 0,
      reason: expect.stringMatching(
        /^took over from ws3\/alice: (hand lease of|owner) ws3\/alice (ran out|silent)/,
      ),
    });
  });

  it('claim --wait: a fresh process watches a silent holder for the stale threshold on its own clock, then takes over', async () => {
    // A new issue (the others are settled by now), claimed by a person who then goes silent.
    const created = await fetch(`${fake.url}/repos/${REPOSITORY}/issues`, {
      method: 'POST',
      headers: { authorization: 'token test-token', 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Held by someone gone', body: 'Do it.' }),
    });
    const issue = String(((await created.json()) as { number: number }).number);
    const dan = await runCli(['claim', issue, '--owner', 'ws4/dan'], { env: env('ws4-dan') });
    expect(dan.code, dan.stderr).toBe(0);

    const eve = env('ws5-eve');
    // Without --wait: refused, this process has not watched dan go silent.
    const refused = await runCli(['claim', issue, '--owner', 'ws5/eve'], { env: eve });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`Cannot claim #${issue}: held by ws4/dan, by hand`));
    // With --wait: the same refusal first, then the takeover once dan is seen silent long enough.
    const waited = await runCli(['claim', issue, '--owner', 'ws5/eve', '--wait', '30s', '--json'], {
      env: eve,
    });
    expect(waited.code, waited.stderr).toBe(0);
    expect(waited.stderr).toMatch(/Watching it for up to 30s/);
    expect(JSON.parse(waited.stdout)).toMatchObject({ action: 'claim', held: true, tookOverFrom: 'ws4/dan' });
    expect(ledgerChain(fake, Number(issue)).map((r) => [r.kind, r.owner, r.hand ?? null])).toEqual([
      ['claim', 'ws4/dan', true],
      ['claim', 'ws5/eve', true],
    ]);
    expect(ledgerChain(fake, Number(issue))[1]).toMatchObject({
      retries: 0,
      reason: expect.stringMatching(/^took over from ws4\/dan: owner ws4\/dan silent for [\d.]+ ms/),
    });
  });
});
