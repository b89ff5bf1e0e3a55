/**
 * Replays recorded GitHub traffic (@octokit/fixtures) against the fake: same requests, then the
 * same status codes, the same response keys (top level, and item keys for arrays), the same
 * headers that matter to clients, and pagination links with the same rels and page numbers.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeGitHub, type SeedData, startFakeGitHub } from '../support/github-fake/index.js';
import { call, parseLink, type Reply } from './helpers.js';

const require = createRequire(import.meta.url);
const SCENARIOS = join(
  dirname(require.resolve('@octokit/fixtures/package.json')),
  'scenarios/api.github.com',
);

interface Recorded {
  method: string;
  path: string;
  body?: unknown;
  status: number;
  response: unknown;
  headers: Record<string, string | number>;
}

function scenario(name: string): Recorded[] {
  return JSON.parse(readFileSync(join(SCENARIOS, name, 'normalized-fixture.json'), 'utf8')) as Recorded[];
}

/**
 * Every key difference the fake is allowed, with the reason. `extra`: the fake sends a key the
 * recording lacks; `missing`: the recording has a key the fake leaves out.
 */
const KEY_EXCEPTIONS: Array<{ key: string; kind: 'extra' | 'missing'; why: string }> = [
  {
    key: 'has_discussions',
    kind: 'extra',
    why: 'repositories gained has_discussions after the recording; the current OpenAPI schema requires it',
  },
  {
    key: 'status',
    kind: 'extra',
    why: 'GitHub added `status` to error bodies after these fixtures were recorded (2022); today it sends it',
  },
];

function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return [...new Set(value.flatMap((item) => keysOf(item)))].sort();
  return value && typeof value === 'object' ? Object.keys(value).sort() : [];
}

function expectSameKeys(actual: unknown, recorded: unknown, where: string): void {
  const mine = keysOf(actual);
  const theirs = keysOf(recorded);
  const allowed = (key: string, kind: 'extra' | 'missing') =>
    KEY_EXCEPTIONS.some((e) => e.key === key && e.kind === kind);
  const extra = mine.filter((k) => !theirs.includes(k) && !allowed(k, 'extra'));
  const missing = theirs.filter((k) => !mine.includes(k) && !allowed(k, 'missing'));
  expect({ where, extra, missing }).toEqual({ where, extra: [], missing: [] });
  if (Array.isArray(recorded)) expect(Array.isArray(actual), `${where} is an array`).toBe(true);
}

/** Headers a client relies on must be present exactly when GitHub sent them. */
const CLIENT_HEADERS = [
  'etag',
  'link',
  'location',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
];

function expectConforms(reply: Reply, rec: Recorded): void {
  const where = `${rec.method.toUpperCase()} ${rec.path}`;
  expect(reply.status, where).toBe(rec.status);
  if (rec.response === '' || rec.response === undefined) {
    expect(reply.body, where).toBeUndefined();
  } else {
    expectSameKeys(reply.body, rec.response, where);
    const errors = (rec.response as { errors?: unknown }).errors;
    if (errors) expectSameKeys(reply.body.errors, errors, `${where} errors[]`);
  }
  for (const h of CLIENT_HEADERS) {
    expect(reply.headers.has(h), `${where} header ${h}`).toBe(h in rec.headers);
  }
  const recordedLinks = parseLink((rec.headers.link as string | undefined) ?? null);
  const links = parseLink(reply.headers.get('link'));
  const pages = (l: typeof links) => Object.fromEntries(Object.entries(l).map(([rel, v]) => [rel, v.page]));
  expect(pages(links), `${where} Link`).toEqual(pages(recordedLinks));
}

const emptyRepo = (name: string): SeedData => ({ repos: [{ owner: 'octokit-fixture-org', name }] });

let fake: FakeGitHub | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** Sends each recorded request as is (placeholders in bodies mapped) and checks its answer. */
async function replay(recs: Recorded[], mapBody: (body: unknown) => unknown = (b) => b): Promise<void> {
  for (const rec of recs) {
    const body = rec.body === '' || rec.body === undefined ? undefined : mapBody(rec.body);
    const reply = await call(fake!.url, rec.method.toUpperCase(), rec.path, { body });
    expectConforms(reply, rec);
  }
}

describe('@octokit/fixtures conformance', () => {
  it('get-repository: the repository with its default branch', async () => {
    fake = await startFakeGitHub({
      seed: { repos: [{ owner: 'octokit-fixture-org', name: 'hello-world', private: false }] },
    });
    const recs = scenario('get-repository');
    await replay(recs);
    const reply = await call(fake.url, 'GET', recs[0]!.path);
    expect(reply.body).toMatchObject({
      full_name: 'octokit-fixture-org/hello-world',
      default_branch: 'main',
    });
  });

  it('add-labels-to-issue: creates the issue and the missing labels, in request order', async () => {
    fake = await startFakeGitHub({ seed: emptyRepo('add-labels-to-issue') });
    const recs = scenario('add-labels-to-issue');
    await replay(recs);
    const labels = fake.state.issue('octokit-fixture-org/add-labels-to-issue', 1)?.labels;
    expect(labels).toEqual(['Foo', 'bAr', 'baZ']);
  });

  it('labels: list, create, get, rename, delete', async () => {
    fake = await startFakeGitHub({ seed: emptyRepo('labels') });
    const recs = scenario('labels');
    // A new repository starts with GitHub's nine default labels, as recorded.
    const first = await call(fake.url, 'GET', recs[0]!.path);
    expect(first.body.map((l: { name: string }) => l.name)).toEqual(
      (recs[0]!.response as Array<{ name: string }>).map((l) => l.name),
    );
    await replay(recs);
    expect(fake.state.labels('octokit-fixture-org/labels').map((l) => l.name)).not.toContain(
      'test-label-updated',
    );
  });

  it('errors: an invalid label colour is a 422 with the field error', async () => {
    fake = await startFakeGitHub({ seed: emptyRepo('errors') });
    const [rec] = scenario('errors');
    const reply = await call(fake.url, 'POST', rec!.path, { body: rec!.body });
    expectConforms(reply, rec!);
    expect(reply.body.errors).toEqual((rec!.response as { errors: unknown }).errors);
  });

  it('paginate-issues: 13 issues, per_page=3, following rel="next" through 5 pages', async () => {
    const issues = Array.from({ length: 13 }, (_, i) => ({ title: `Test issue ${i + 1}` }));
    fake = await startFakeGitHub({
      seed: { repos: [{ owner: 'octokit-fixture-org', name: 'paginate-issues', issues }] },
    });
    const recs = scenario('paginate-issues');
    expect(recs).toHaveLength(5);
    let url = recs[0]!.path;
    for (const [i, rec] of recs.entries()) {
      const reply = await call(fake.url, 'GET', url);
      expectConforms(reply, rec);
      // Newest first, as recorded: page 1 holds 13, 12, 11.
      expect(reply.body.map((x: { number: number }) => x.number)).toEqual(
        (rec.response as Array<{ number: number }>).map((x) => x.number),
      );
      // The recorded script requested exactly the URL of the previous page's rel="next".
      if (i > 0) expect(new URL(url).search).toBe(new URL(rec.path, 'https://x').search);
      url = parseLink(reply.headers.get('link')).next?.url ?? '';
    }
    expect(url).toBe('');
  });

  it('git-refs: list, create, fast-forward, list again, delete', async () => {
    fake = await startFakeGitHub({
      seed: {
        repos: [
          {
            owner: 'octokit-fixture-org',
            name: 'git-refs',
            refs: [{ ref: 'heads/main', messages: ['2nd commit'] }],
          },
        ],
      },
    });
    const full = 'octokit-fixture-org/git-refs';
    const head = fake.state.ref(full, 'heads/main')!;
    const first = fake.state.commit(full, head)!.parents[0]!;
    // The fixture normalizes shas in order of appearance: 1 = main's tip, 2 = its parent.
    const shas: Record<string, string> = {
      '0000000000000000000000000000000000000001': head,
      '0000000000000000000000000000000000000002': first,
    };
    const recs = scenario('git-refs');
    await replay(recs, (body) => {
      const b = { ...(body as Record<string, unknown>) };
      if (typeof b.sha === 'string') b.sha = shas[b.sha] ?? b.sha;
      return b;
    });
    expect(fake.state.refs(full)).toEqual({ 'refs/heads/main': head });
  });
});
