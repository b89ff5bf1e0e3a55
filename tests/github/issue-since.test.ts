/**
 * The moving `since` against the fake: it never drops a change that ties with the last one seen
 * or that a lagging read hid, and the full resync finds what no update shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IssueSnapshot, IssueSync } from '../../src/boards/github/issues/index.js';
import { MemoryKeyValueStore } from '../../src/state/kv-store.js';
import { fakeClient } from '../support/fake-client.js';
import { type FakeGitHub, type SeedIssue, startFakeGitHub } from '../support/github-fake/index.js';

let fake: FakeGitHub;
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Issues last updated weeks ago: more than half a page, so `since` moves past them. */
const backlog = (count = 80): SeedIssue[] =>
  Array.from({ length: count }, (_, i) => ({
    number: i + 1,
    title: `issue ${i + 1}`,
    authorAssociation: 'MEMBER' as const,
    createdAt: iso(Date.now() - 30 * DAY + i * 60_000),
    updatedAt: iso(Date.now() - 30 * DAY + i * 60_000),
  }));

const client = () => fakeClient(fake);

/** A sync whose `since` has moved past the backlog (asserted). */
async function movedSync(repo: string) {
  const cursor = new MemoryKeyValueStore();
  const sync = new IssueSync({ client: client(), owner: 'acme', repo, cursor });
  expect((await sync.pull()).changed).toHaveLength(80);
  const since = cursor.get('issue-cursor', `acme/${repo}:since`);
  expect(since).toBeDefined();
  return { sync, since: Date.parse(since!) };
}

const issues = () => client().rest.issues;

/** What a store holds of an open issue (the fields the resync compares do not matter here). */
const openIssue = (repo: string, n: number): IssueSnapshot => ({
  number: n,
  title: `issue ${n}`,
  body: '',
  state: 'open',
  stateReason: null,
  labels: [],
  authorAssociation: 'MEMBER',
  author: 'octocat',
  url: `https://github.com/acme/${repo}/issues/${n}`,
  updatedAt: iso(Date.now() - DAY),
  deps: [],
  agent: null,
  priority: 0,
});

beforeAll(async () => {
  fake = await startFakeGitHub({
    seed: {
      repos: [
        ...['ties', 'lag', 'closed', 'restart'].map((name) => ({ owner: 'acme', name, issues: backlog() })),
        { owner: 'acme', name: 'walk', issues: backlog(350) },
      ],
    },
  });
});
afterAll(async () => {
  await fake.close();
});

describe('the moving since', () => {
  it('sees every change within the second of the last one seen', async () => {
    // Pinned clock: `since` lands 60 s before it, every change below carries the same second.
    const frozen = Date.now() + 250;
    fake.setKnobs({ frozenClockMs: frozen });
    try {
      const { sync, since } = await movedSync('ties');
      expect(since).toBe(Math.floor((frozen - 60_000) / 1000) * 1000);
      await issues().addLabels({ owner: 'acme', repo: 'ties', issue_number: 7, labels: ['a'] });
      expect((await sync.pull()).changed).toMatchObject([{ number: 7, labels: ['a'] }]);
      await issues().update({ owner: 'acme', repo: 'ties', issue_number: 7, state: 'closed' });
      await issues().addLabels({ owner: 'acme', repo: 'ties', issue_number: 8, labels: ['b'] });
      const second = await sync.pull();
      expect(second.changed.map((i) => [i.number, i.state, i.updatedAt])).toEqual([
        [7, 'closed', iso(frozen)],
        [8, 'open', iso(frozen)],
      ]);
      expect((await sync.pull()).changed).toEqual([]);
    } finally {
      fake.setKnobs({ frozenClockMs: 0 });
    }
  });

  it('does not move past a write that a lagging read did not show yet', async () => {
    fake.setKnobs({ readLagMs: 5_000 });
    try {
      const cursor = new MemoryKeyValueStore();
      const sync = new IssueSync({ client: client(), owner: 'acme', repo: 'lag', cursor });
      await issues().addLabels({ owner: 'acme', repo: 'lag', issue_number: 9, labels: ['late'] });
      const first = await sync.pull(); // the listing lags: #9 still without its label
      expect(first.changed.find((i) => i.number === 9)?.labels).toEqual([]);
      expect(cursor.get('issue-cursor', 'acme/lag:since')).toBeDefined(); // it moved, but not past #9
      fake.setKnobs({ readLagMs: 0 });
      expect((await sync.pull()).changed).toMatchObject([{ number: 9, labels: ['late'] }]);
    } finally {
      fake.setKnobs({ readLagMs: 0 });
    }
  });
});

describe('the full resync', () => {
  it('reads alone an issue the store believes open that the open list lacks: closed, or gone', async () => {
    // `since` already past the close below, as after a listing that shifted while it was paged.
    const cursor = new MemoryKeyValueStore();
    cursor.set('issue-cursor', 'acme/closed:since', iso(Date.now() + 3_600_000));
    const sync = new IssueSync({ client: client(), owner: 'acme', repo: 'closed', cursor });
    await issues().update({ owner: 'acme', repo: 'closed', issue_number: 3, state: 'closed' });
    fake.state.removeIssue('acme/closed', 4); // transferred or deleted: no update at all
    const known = new Map([3, 4, 5].map((n) => [n, openIssue('closed', n)] as const));

    expect((await sync.pull(undefined, known)).changed).toEqual([]); // the incremental listing cannot tell
    fake.resetStats();
    const pulled = await sync.pull(undefined, known, { resync: true });
    expect(pulled.resynced).toBe(true);
    expect(pulled.gone).toEqual([4]);
    expect(pulled.changed.filter((i) => i.state === 'closed').map((i) => i.number)).toEqual([3]);
    expect(pulled.changed.some((i) => i.number === 4)).toBe(false);
    expect(fake.stats().byRoute['GET /repos/{owner}/{repo}/issues/{issue_number}']).toBe(2); // #3, #4
  });

  it('walks a long list a few pages per pull, and reconciles only at its end', async () => {
    const sync = new IssueSync({
      client: client(),
      owner: 'acme',
      repo: 'walk',
      cursor: new MemoryKeyValueStore(),
    });
    await sync.pull();
    await sync.pull(); // `since` moved: quiet from here on
    fake.state.removeIssue('acme/walk', 7);
    const store = new Map(Array.from({ length: 350 }, (_, i) => [i + 1, openIssue('walk', i + 1)] as const));
    // The listing, then three of the four pages of open issues: nothing reconciled yet.
    expect(await sync.pull(undefined, store, { resync: true })).toMatchObject({
      resynced: false,
      gone: [],
      requests: 4,
    });
    // The listing, the fourth page (issues 301–350), then #7 alone: gone.
    expect(await sync.pull(undefined, store)).toMatchObject({ resynced: true, gone: [7], requests: 3 });
    expect(await sync.pull(undefined, store)).toMatchObject({ resynced: false, requests: 1 });
  });

  it('after a restart, reports only what differs from the store’s copy', async () => {
    const cursor = new MemoryKeyValueStore();
    const first = new IssueSync({ client: client(), owner: 'acme', repo: 'restart', cursor });
    const store = new Map((await first.pull()).changed.map((i) => [i.number, i] as const));
    expect(store.size).toBe(80);
    const restarted = new IssueSync({ client: client(), owner: 'acme', repo: 'restart', cursor });
    expect(await restarted.pull(undefined, store, { resync: true })).toMatchObject({
      resynced: true,
      changed: [],
    });
    // A copy that is out of date is brought up to date.
    store.set(5, { ...store.get(5)!, title: 'stale' });
    const again = new IssueSync({ client: client(), owner: 'acme', repo: 'restart', cursor });
    const pulled = await again.pull(undefined, store, { resync: true });
    expect(pulled.changed.map((i) => [i.number, i.title])).toEqual([[5, 'issue 5']]);
  });
});
