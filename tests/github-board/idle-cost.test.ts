/**
 * What an idle GitHub board costs, and what it still sees, against the fake over real HTTP:
 * one issues page and one ledger read per cycle at 1,000 open issues; a new issue claimed the
 * cycle after it is opened; an issue transferred or deleted leaves the eligible set at the next
 * full resync; GitHub's X-Poll-Interval reaches the daemon's pace.
 */
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { afterEach, describe, expect, it } from 'vitest';
import type { SharedState } from '../../src/state/shared-state.js';
import { openFakeBoard } from '../support/fake-board.js';
import { type FakeGitHub, type SeedIssue, startFakeGitHub } from '../support/github-fake/index.js';
import { MovedClock } from '../support/moved-clock.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const opened: { fake: FakeGitHub; store: SharedState }[] = [];
afterEach(async () => {
  for (const { fake, store } of opened.splice(0)) {
    store.close();
    await fake.close();
  }
});

const DAY = 86_400_000;
/** `count` trusted issues for agent `other`, last updated over the past days (a backlog). */
const backlog = (count: number, from = 1): SeedIssue[] =>
  Array.from({ length: count }, (_, i) => {
    const at = new Date(Date.now() - 30 * DAY + i * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return {
      number: from + i,
      title: `Backlog ${from + i}`,
      body: 'x',
      authorAssociation: 'OWNER' as const,
      labels: ['agent:other'],
      createdAt: at,
      updatedAt: at,
    };
  });

async function idleBoard(issues: SeedIssue[], env: Record<string, string> = {}) {
  const fake = await startFakeGitHub({ secondaryPerMinute: 100_000, secondaryPerHour: 100_000 });
  fake.seed({ repos: [{ owner: 'acme', name: 'widgets', issues }] });
  const clock = new MovedClock();
  const { board, store } = openFakeBoard(fake, join(tempDir(), 'state'), { env, clock });
  opened.push({ fake, store });
  await board.register();
  const signal = new AbortController().signal;
  /** One daemon cycle that finds nothing to claim. */
  const cycle = async () => {
    await board.refresh(signal);
    return board.claimNext({ purpose: 'any', signal });
  };
  const octokit = new Octokit({ baseUrl: fake.url, auth: 'test-token' });
  return { fake, board, clock, cycle, signal, octokit };
}

describe('an idle GitHub board', () => {
  it('costs one issues page and one ledger read per cycle at 1,000 open issues, and still sees a new issue', async () => {
    const { fake, cycle, octokit } = await idleBoard(backlog(1000));
    await cycle(); // the first listing reads every page, once
    await cycle(); // `since` moved: the next listing is a new URL (one 200), then 304s
    fake.resetStats();
    for (let i = 0; i < 5; i++) expect(await cycle()).toBeNull();
    const stats = fake.stats();
    expect(stats.requests / 5).toBe(2);
    expect(stats.notModified).toBe(10);
    expect(stats.byRoute).toEqual({
      'GET /repos/{owner}/{repo}/issues': 5,
      'GET /repos/{owner}/{repo}/git/matching-refs/{ref}': 5,
    });

    // The view stays complete: an issue opened now is claimed by the next cycle.
    const { data } = await octokit.rest.issues.create({
      owner: 'acme',
      repo: 'widgets',
      title: 'New work',
      labels: ['agent:codex'],
    });
    const claim = await cycle();
    expect(claim?.task.id).toBe(`acme/widgets#${data.number}`);
  });

  it('drops an issue transferred or deleted at the next full resync; it is never claimed', async () => {
    const mine = (n: number): SeedIssue => ({
      number: n,
      title: `Mine ${n}`,
      authorAssociation: 'OWNER',
      labels: ['agent:codex'],
    });
    const { fake, board, clock, cycle } = await idleBoard([...backlog(3, 10), mine(1), mine(2)], {
      ISSUE_FULL_RESYNC_MS: '60000',
    });
    await board.refresh(new AbortController().signal);
    expect(board.issues.get(1)?.state).toBe('open');
    fake.state.removeIssue('acme/widgets', 1); // no update anywhere: the incremental listing cannot tell
    await board.refresh(new AbortController().signal);
    expect(board.issues.get(1)).toBeDefined();

    clock.advance(60_001); // the resync is due
    fake.resetStats();
    const claim = await cycle();
    expect(fake.stats().byRoute['GET /repos/{owner}/{repo}/issues/{issue_number}']).toBe(1); // #1, read alone
    expect(board.issues.get(1)).toBeUndefined();
    expect(claim?.task.id).toBe('acme/widgets#2');
    expect(await cycle()).toBeNull();
  });

  it('passes GitHub’s X-Poll-Interval on as the least wait before the next refresh', async () => {
    const { fake, board, cycle } = await idleBoard(backlog(3));
    await cycle();
    expect(board.pace()).toEqual({ changed: true, minIntervalMs: 0 }); // the first listing: all new
    await cycle();
    expect(board.pace()).toEqual({ changed: false, minIntervalMs: 0 });
    fake.setKnobs({ pollIntervalSeconds: 60 });
    fake.resetStats();
    await cycle();
    expect(fake.stats().notModified).toBe(2); // sent on a 304 too
    expect(board.pace()).toEqual({ changed: false, minIntervalMs: 60_000 });
  });
});
