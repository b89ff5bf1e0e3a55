/** Incremental issue sync against the GitHub fake: conditional, paginated, cursor persisted. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IssueSync } from '../../src/boards/github/issues/index.js';
import { type KeyValueStore, MemoryKeyValueStore } from '../../src/state/kv-store.js';
import { fakeClient } from '../support/fake-client.js';
import { type FakeGitHub, type SeedIssue, startFakeGitHub } from '../support/github-fake/index.js';

let fake: FakeGitHub;
const at = (i: number) => new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString().replace('.000Z', 'Z');

/** `count` issues, each updated an hour after the previous one; #2 closed, #3 a pull request. */
const seedIssues = (count: number): SeedIssue[] =>
  Array.from({ length: count }, (_, i) => ({
    number: i + 1,
    title: `issue ${i + 1}`,
    body: i === 0 ? 'Depends on #2, blocked by https://github.com/acme/small/issues/4' : null,
    labels: i === 0 ? ['agent:codex', 'priority:high'] : [],
    authorAssociation: i === 4 ? ('NONE' as const) : ('MEMBER' as const),
    createdAt: at(i),
    updatedAt: at(i),
    ...(i === 1 ? { state: 'closed' as const, stateReason: 'completed' as const, closedAt: at(i) } : {}),
    ...(i === 2 ? { pullRequest: true } : {}),
  }));

const client = (etags?: KeyValueStore) => fakeClient(fake, etags);

function sync(repo: string, etags = new MemoryKeyValueStore(), cursor = new MemoryKeyValueStore()) {
  return new IssueSync({ client: client(etags), owner: 'acme', repo, cursor });
}

beforeAll(async () => {
  fake = await startFakeGitHub({
    seed: {
      repos: [
        { owner: 'acme', name: 'small', issues: seedIssues(6) },
        { owner: 'acme', name: 'big', issues: seedIssues(130) },
      ],
    },
  });
});
afterAll(async () => {
  await fake.close();
});

describe('IssueSync', () => {
  it('pulls everything once; then an unchanged repository costs one request answered 304', async () => {
    const cursor = new MemoryKeyValueStore();
    const s = sync('small', new MemoryKeyValueStore(), cursor);
    fake.resetStats();
    const first = await s.pull();
    expect(first.requests).toBe(1);
    expect(first.changed.map((i) => i.number)).toEqual([1, 2, 4, 5, 6]); // #3 is a pull request
    expect(first.pulls).toEqual([{ number: 3, state: 'open' }]); // its state, for `status`
    expect(first.changed[0]).toMatchObject({
      deps: [2, 4],
      agent: 'codex',
      priority: 10,
      authorAssociation: 'MEMBER',
    });
    expect(first.changed[1]).toMatchObject({ state: 'closed', stateReason: 'completed' });
    expect(first.changed[3]).toMatchObject({ authorAssociation: 'NONE', author: 'octocat' });
    // Six issues fit one page: `since` stays unset, so the URL (and its ETag) never changes.
    expect(cursor.get('issue-cursor', 'acme/small:since')).toBeUndefined();

    fake.resetStats();
    // #3 unchanged: not again.
    expect(await s.pull()).toMatchObject({ changed: [], gone: [], pulls: [], requests: 1, resynced: false });
    expect(fake.stats()).toMatchObject({ requests: 1, notModified: 1 });
  });

  it('returns exactly the issue a human changed, then goes back to 304s', async () => {
    const s = sync('small');
    await s.pull();
    await client().rest.issues.addLabels({ owner: 'acme', repo: 'small', issue_number: 4, labels: ['bug'] });
    fake.resetStats();
    const changed = await s.pull();
    expect(changed.requests).toBe(1);
    expect(changed.changed.map((i) => [i.number, i.labels])).toEqual([[4, ['bug']]]);
    expect(fake.stats().notModified).toBe(0);

    await client().rest.issues.update({ owner: 'acme', repo: 'small', issue_number: 5, state: 'closed' });
    const closed = await s.pull();
    expect(closed.changed).toMatchObject([{ number: 5, state: 'closed', stateReason: 'completed' }]);

    fake.resetStats();
    expect((await s.pull()).changed).toEqual([]);
    expect(fake.stats()).toMatchObject({ requests: 1, notModified: 1 });
  });

  it('sees two changes made within one second: a dependency closed in the second of an update it pulled', async () => {
    const s = sync('small');
    await s.pull();
    // GitHub's timestamps have whole seconds; pin the fake's clock so both writes share one.
    fake.setKnobs({ frozenClockMs: Date.UTC(2025, 5, 1, 12, 0, 0, 250) });
    try {
      const api = client().rest.issues;
      await api.addLabels({ owner: 'acme', repo: 'small', issue_number: 4, labels: ['triaged'] });
      const first = await s.pull();
      expect(first.changed).toMatchObject([{ number: 4, state: 'open', updatedAt: '2025-06-01T12:00:00Z' }]);

      await api.update({ owner: 'acme', repo: 'small', issue_number: 4, state: 'closed' });
      expect(fake.state.issue('acme/small', 4)?.updatedAt).toBe(Date.UTC(2025, 5, 1, 12, 0, 0));
      const second = await s.pull();
      expect(second.changed).toMatchObject([
        { number: 4, state: 'closed', stateReason: 'completed', updatedAt: '2025-06-01T12:00:00Z' },
      ]);
      // Nothing changed since: nothing is returned again, tie or not.
      expect((await s.pull()).changed).toEqual([]);
    } finally {
      fake.setKnobs({ frozenClockMs: 0 });
    }
  });

  it('pages through a large repository, then narrows `since` to the server clock minus the overlap', async () => {
    const cursor = new MemoryKeyValueStore();
    const s = sync('big', new MemoryKeyValueStore(), cursor);
    fake.resetStats();
    const before = Date.now();
    const first = await s.pull();
    expect(first.requests).toBe(2);
    expect(first.changed).toHaveLength(129);
    // The listing saw everything updated before (its Date − 60 s): nothing older is read again.
    const since = Date.parse(cursor.get('issue-cursor', 'acme/big:since')!);
    expect(since).toBeGreaterThanOrEqual(Math.floor((before - 60_000) / 1000) * 1000);
    expect(since).toBeLessThanOrEqual(Date.now() - 60_000);
    const narrowed = await s.pull();
    expect(narrowed).toMatchObject({ changed: [], pulls: [], requests: 1 });
    fake.resetStats();
    await s.pull();
    expect(fake.stats()).toMatchObject({ requests: 1, notModified: 1 });
    expect(fake.stats().byRoute['GET /repos/{owner}/{repo}/issues']).toBe(1);
  });

  it('keeps its cursor and ETags across a restart', async () => {
    const etags = new MemoryKeyValueStore();
    const cursor = new MemoryKeyValueStore();
    await sync('big', etags, cursor).pull();
    await sync('big', etags, cursor).pull();

    fake.resetStats();
    const restarted = sync('big', etags, cursor);
    expect((await restarted.pull()).changed).toEqual([]); // the window since `since` is quiet
    expect(fake.stats()).toMatchObject({ requests: 1, notModified: 1 });
    // Only the window since `since` comes back, not the whole repository.
    await client().rest.issues.addLabels({ owner: 'acme', repo: 'big', issue_number: 130, labels: ['bug'] });
    expect((await restarted.pull()).changed.map((i) => i.number)).toEqual([130]);

    restarted.reset();
    expect((await restarted.pull()).changed).toHaveLength(129);
  });
});
