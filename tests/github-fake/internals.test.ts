/** Unit tests of the fake's building blocks: versioned history, git hashing, pagination. */
import { describe, expect, it } from 'vitest';
import { ServerClock } from '../support/github-fake/clock.js';
import {
  conflictsWithExisting,
  isAncestor,
  isValidRefName,
  makeBlob,
  makeCommit,
  makeTree,
} from '../support/github-fake/model/git.js';
import { Store } from '../support/github-fake/model/store.js';
import { VersionedMap } from '../support/github-fake/model/versioned.js';
import { paginate } from '../support/github-fake/pagination.js';

/** A clock under the test's control. */
function manualClock(retentionMs = 1_000) {
  let t = 0;
  const advance = (ms: number): void => {
    t += ms;
  };
  return { mono: () => t, retentionMs: () => retentionMs, advance };
}

describe('VersionedMap', () => {
  it('answers reads as of a past time and the newest value otherwise', () => {
    const clock = manualClock();
    const map = new VersionedMap<string, number>(clock);
    map.set('a', 1);
    clock.advance(10);
    map.set('a', 2);
    clock.advance(10);
    map.delete('a');
    expect(map.get('a')).toBeUndefined();
    expect(map.get('a', 5)).toBe(1);
    expect(map.get('a', 15)).toBe(2);
    expect(map.get('a', -1)).toBeUndefined();
    expect(map.values(15)).toEqual([2]);
  });

  it('drops history older than the retention but keeps the value current at the horizon', () => {
    const clock = manualClock(100);
    const map = new VersionedMap<string, number>(clock);
    map.set('a', 1);
    clock.advance(50);
    map.set('a', 2);
    clock.advance(200);
    map.set('a', 3);
    // Version 1 was superseded long ago: a read that old now sees the oldest kept version.
    expect(map.get('a', 10)).toBe(2);
    expect(map.get('a', 240)).toBe(2);
    expect(map.get('a')).toBe(3);
  });

  it('seeded values (at -Infinity) are visible to any lagged read', () => {
    const map = new VersionedMap<string, number>(manualClock());
    map.set('s', 7, Number.NEGATIVE_INFINITY);
    expect(map.get('s', -1e9)).toBe(7);
  });
});

describe('git objects', () => {
  it('hashes blobs and trees exactly as git does', () => {
    // `printf 'hello\n' | git hash-object --stdin` and git's well-known empty tree.
    expect(makeBlob('hello\n').sha).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
    expect(makeTree([]).sha).toBe('4b825dc642cb6eb9a060e54bf8d69288fbee4904');
  });

  it('identical commits in the same second share a sha, a second later they differ (as on GitHub)', () => {
    const who = (date: number) => ({ name: 'a', email: 'a@x', date });
    const fields = (date: number) => ({
      tree: makeTree([]).sha,
      parents: [],
      message: 'same',
      author: who(date),
      committer: who(date),
    });
    expect(makeCommit(fields(1_000_000), 1).sha).toBe(makeCommit(fields(1_000_999), 1).sha);
    expect(makeCommit(fields(1_000_000), 1).sha).not.toBe(makeCommit(fields(1_001_000), 1).sha);
  });

  it('finds ancestors through merge parents and stops at lower generations', () => {
    const store = new Store(new ServerClock());
    const repo = store.createRepo({ owner: 'o', name: 'r' });
    const root = repo.refs.get('refs/heads/main')!;
    const tree = makeTree([]).sha;
    const who = { name: 'a', email: 'a@x', date: 0 };
    const add = (parents: string[], message: string) => {
      const gen =
        1 + Math.max(0, ...parents.map((p) => (repo.objects.get(p) as { generation: number }).generation));
      const c = makeCommit({ tree, parents, message, author: who, committer: who }, gen);
      repo.objects.set(c.sha, c);
      return c.sha;
    };
    const a = add([root], 'a');
    const b = add([root], 'b');
    const merge = add([a, b], 'merge');
    expect(isAncestor(repo, b, merge)).toBe(true);
    expect(isAncestor(repo, root, merge)).toBe(true);
    expect(isAncestor(repo, merge, merge)).toBe(true);
    expect(isAncestor(repo, a, b)).toBe(false);
    expect(isAncestor(repo, merge, root)).toBe(false);
  });

  it('validates ref names like git check-ref-format and detects directory/file conflicts', () => {
    expect(isValidRefName('refs/codex-monitor/tasks/12')).toBe(true);
    for (const bad of [
      'refs/a..b',
      'refs/a b',
      'refs/a/',
      'refs/.a',
      'refs/a.lock',
      'refs/a~1',
      'refs/a@{x',
    ]) {
      expect(isValidRefName(bad), bad).toBe(false);
    }
    expect(conflictsWithExisting(['refs/a/b'], 'refs/a')).toBe(true);
    expect(conflictsWithExisting(['refs/a'], 'refs/a/b')).toBe(true);
    expect(conflictsWithExisting(['refs/ab'], 'refs/a/b')).toBe(false);
  });
});

describe('paginate', () => {
  it('keeps the query in order, sets page, and omits Link on a single page', () => {
    const items = Array.from({ length: 7 }, (_, i) => i);
    const q = new URLSearchParams('state=all&page=2&per_page=3');
    const page = paginate(items, q, 'http://h/repositories/1/issues');
    expect(page.items).toEqual([3, 4, 5]);
    expect(page.link).toBe(
      [
        '<http://h/repositories/1/issues?state=all&page=1&per_page=3>; rel="prev"',
        '<http://h/repositories/1/issues?state=all&page=3&per_page=3>; rel="next"',
        '<http://h/repositories/1/issues?state=all&page=3&per_page=3>; rel="last"',
        '<http://h/repositories/1/issues?state=all&page=1&per_page=3>; rel="first"',
      ].join(', '),
    );
    expect(paginate(items, new URLSearchParams(), 'http://h/x').link).toBeUndefined();
  });
});
