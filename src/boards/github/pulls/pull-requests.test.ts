/** PullRequests against scripted GitHub answers: every refusal and lost answer, one at a time. */
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { useStrictNock } from '../../../../tests/support/strict-nock.js';
import { InputError } from '../../../core/errors.js';
import { silentLogger } from '../../../core/logger.js';
import { MemoryKeyValueStore } from '../../../state/kv-store.js';
import { createGitHubClient } from '../http/index.js';
import { PullRequestError } from './pull-errors.js';
import { PullRequests } from './pull-requests.js';

const API = 'https://api.github.test';
const LIST = '/repos/acme/widgets/pulls?state=open&head=acme%3Acodex%2F7-fix&per_page=100';
const SPEC = { branch: 'codex/7-fix', base: 'main', title: 'Fix it', body: 'Fixes #7', labels: ['codex'] };

function pulls() {
  const client = createGitHubClient({
    baseUrl: API,
    token: 'ghp_test',
    etags: new MemoryKeyValueStore(),
    logger: silentLogger(),
    pacing: false,
    waitUnitMs: 1,
  });
  const clock = { sleep: async () => {} };
  return new PullRequests({ client, owner: 'acme', repo: 'widgets', clock, rereadDelaysMs: [10, 10] });
}

const pr = (number: number, extra: Record<string, unknown> = {}) => ({
  number,
  html_url: `https://github.com/acme/widgets/pull/${number}`,
  title: 'Fix it',
  body: 'Fixes #7',
  draft: false,
  head: { ref: 'codex/7-fix', label: 'acme:codex/7-fix', sha: 'a'.repeat(40) },
  base: { ref: 'main' },
  labels: [{ name: 'codex' }],
  ...extra,
});

const validation = (errors: unknown[]) => ({
  message: 'Validation Failed',
  errors,
  documentation_url: 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
  status: '422',
});
const EXISTS = validation([
  { resource: 'PullRequest', code: 'custom', message: 'A pull request already exists for acme:codex/7-fix.' },
]);

/** A list read that must bypass the ETag cache (no If-None-Match). */
const freshList = (body: unknown[]) =>
  nock(API, { badheaders: ['if-none-match'] })
    .get(LIST)
    .reply(200, body, { etag: 'W/"fresh"' });

useStrictNock();

describe('openOrUpdate', () => {
  it('creates the pull request when none is open, then adds its labels', async () => {
    nock(API)
      .get(LIST)
      .reply(200, [], { etag: 'W/"empty"' })
      .post('/repos/acme/widgets/pulls', {
        head: 'acme:codex/7-fix',
        base: 'main',
        title: 'Fix it',
        body: 'Fixes #7',
        draft: true,
      })
      .reply(201, pr(12))
      .post('/repos/acme/widgets/issues/12/labels', { labels: ['codex'] })
      .reply(200, [{ name: 'codex' }]);
    const result = await pulls().openOrUpdate({ ...SPEC, draft: true });
    expect(result).toEqual({ number: 12, url: 'https://github.com/acme/widgets/pull/12', created: true });
  });

  it('updates the open one: only what differs, only missing labels; nothing when nothing differs', async () => {
    nock(API)
      .get(LIST)
      .reply(200, [
        pr(3, { head: { ref: 'x', label: 'other:codex/7-fix', sha: 'b' } }),
        pr(12, { title: 'Old' }),
      ])
      .patch('/repos/acme/widgets/pulls/12', { title: 'Fix it' })
      .reply(200, pr(12))
      .post('/repos/acme/widgets/issues/12/labels', { labels: ['ready'] })
      .reply(200, []);
    const result = await pulls().openOrUpdate({ ...SPEC, labels: ['Codex', 'ready'] });
    expect(result).toMatchObject({ number: 12, created: false });

    nock(API)
      .get(LIST)
      .reply(200, [pr(12)]);
    expect(await pulls().openOrUpdate(SPEC)).toMatchObject({ number: 12, created: false });
  });

  it('422 "already exists": re-reads past the cache and updates the one that exists', async () => {
    nock(API)
      .get(LIST)
      .reply(200, [], { etag: 'W/"empty"' })
      .post('/repos/acme/widgets/pulls')
      .reply(422, EXISTS);
    freshList([pr(12, { body: 'old body' })]);
    nock(API).patch('/repos/acme/widgets/pulls/12', { body: 'Fixes #7' }).reply(200, pr(12));
    expect(await pulls().openOrUpdate(SPEC)).toMatchObject({ number: 12, created: false });
  });

  it('a lost POST (502) that landed: found on a fresh re-read, never posted twice', async () => {
    nock(API)
      .get(LIST)
      .reply(200, [], { etag: 'W/"empty"' })
      .post('/repos/acme/widgets/pulls')
      .reply(502, { message: 'Server Error' });
    freshList([]); // read lag: not visible yet
    freshList([pr(12, { labels: [] })]);
    nock(API)
      .post('/repos/acme/widgets/issues/12/labels', { labels: ['codex'] })
      .reply(200, []);
    expect(await pulls().openOrUpdate(SPEC)).toMatchObject({ number: 12, created: true });
  });

  it('a lost answer to adding labels: sent again (adding is idempotent)', async () => {
    nock(API)
      .get(LIST)
      .reply(200, [pr(12, { labels: [] })])
      .post('/repos/acme/widgets/issues/12/labels', { labels: ['codex'] })
      .reply(502, { message: 'Server Error' })
      .post('/repos/acme/widgets/issues/12/labels', { labels: ['codex'] })
      .reply(200, [{ name: 'codex' }]);
    expect(await pulls().openOrUpdate(SPEC)).toMatchObject({ number: 12, created: false });
  });

  it('a lost POST that did not land: posted once more after the re-reads', async () => {
    nock(API).get(LIST).reply(200, []).post('/repos/acme/widgets/pulls').reply(503, { message: 'x' });
    for (let i = 0; i < 3; i++) freshList([]);
    nock(API)
      .post('/repos/acme/widgets/pulls')
      .reply(201, pr(12))
      .post('/repos/acme/widgets/issues/12/labels')
      .reply(200, []);
    expect(await pulls().openOrUpdate(SPEC)).toMatchObject({ number: 12, created: true });
  });

  it('two unanswered creates and nothing visible: PULL_REQUEST_UNCERTAIN, no third POST', async () => {
    nock(API)
      .get(LIST)
      .reply(200, [])
      .post('/repos/acme/widgets/pulls')
      .times(2)
      .reply(502, { message: 'x' });
    for (let i = 0; i < 6; i++) freshList([]);
    const error = await pulls()
      .openOrUpdate(SPEC)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PullRequestError);
    expect(error).toMatchObject({ code: 'PULL_REQUEST_UNCERTAIN', branch: 'codex/7-fix' });
  });

  it.each([
    [[{ resource: 'PullRequest', field: 'head', code: 'invalid' }], 'PULL_REQUEST_HEAD_INVALID', /push it/],
    [
      [{ resource: 'PullRequest', field: 'base', code: 'invalid' }],
      'PULL_REQUEST_BASE_INVALID',
      /base branch "main"/,
    ],
    [
      [{ resource: 'PullRequest', code: 'custom', message: 'No commits between main and codex/7-fix' }],
      'PULL_REQUEST_NO_COMMITS',
      /no commits beyond "main"/,
    ],
  ])('422 %j → %s, without a re-read', async (errors, code, message) => {
    nock(API).get(LIST).reply(200, []).post('/repos/acme/widgets/pulls').reply(422, validation(errors));
    const error = await pulls()
      .openOrUpdate(SPEC)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code });
    expect((error as Error).message).toMatch(message);
  });

  it('403 without a permission: PULL_REQUEST_PERMISSION naming the permission', async () => {
    nock(API)
      .get(LIST)
      .reply(200, [])
      .post('/repos/acme/widgets/pulls')
      .reply(
        403,
        { message: 'Resource not accessible by personal access token' },
        { 'x-accepted-github-permissions': 'pull_requests=write' },
      );
    const error = await pulls()
      .openOrUpdate(SPEC)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PULL_REQUEST_PERMISSION' });
    expect((error as Error).message).toMatch(/pull_requests: write/);
  });

  it('refuses a branch that is not a bare branch name, before any request', async () => {
    await expect(pulls().openOrUpdate({ ...SPEC, branch: 'acme:codex/7' })).rejects.toBeInstanceOf(
      InputError,
    );
    await expect(pulls().findOpen(' ')).rejects.toThrow(/is not a branch name/);
  });
});

describe('close', () => {
  it('PATCHes the state; a 403 is PULL_REQUEST_PERMISSION', async () => {
    nock(API).patch('/repos/acme/widgets/pulls/12', { state: 'closed' }).reply(200, pr(12));
    await pulls().close(12);
    nock(API)
      .patch('/repos/acme/widgets/pulls/13')
      .reply(403, { message: 'Resource not accessible by integration' });
    await expect(pulls().close(13)).rejects.toMatchObject({ code: 'PULL_REQUEST_PERMISSION', branch: null });
  });
});
