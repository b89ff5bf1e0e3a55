import nock from 'nock';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { useStrictNock } from '../../../../tests/support/strict-nock.js';
import { silentLogger } from '../../../core/logger.js';
import { MemoryKeyValueStore } from '../../../state/kv-store.js';
import { createGitHubClient, type GitHubClientSettings, type LimitInfo } from './client.js';
import {
  GitHubAuthError,
  GitHubNotFoundError,
  GitHubPermissionError,
  GitHubRateLimitedError,
  GitHubRequestError,
  GitHubUnavailableError,
  GitHubValidationError,
} from './errors.js';

const API = 'https://api.github.test';
const TOKEN = 'ghp_SECRET_token_0123456789';

function client(extra: Partial<GitHubClientSettings> = {}) {
  return createGitHubClient({
    baseUrl: API,
    token: TOKEN,
    etags: new MemoryKeyValueStore(),
    logger: silentLogger(),
    pacing: false,
    waitUnitMs: 1,
    ...extra,
  });
}

/** An interceptor that counts its calls and keeps answering, so a retry cannot hide. */
function counting(status: number, body: unknown, headers: Record<string, string> = {}) {
  const calls = { n: 0 };
  const reply = () => {
    calls.n++;
    return [status, body, headers] as [number, unknown, Record<string, string>];
  };
  return { calls, reply };
}

useStrictNock();

describe('ETag cache', () => {
  it('sends If-None-Match and serves the cached body and link on 304, across clients', async () => {
    const etags = new MemoryKeyValueStore();
    const link = `<${API}/repositories/1/labels?per_page=1&page=2>; rel="next"`;
    const scope = nock(API)
      .get('/repos/o/r/labels?per_page=1')
      .reply(200, [{ name: 'bug' }], { etag: 'W/"one"', link })
      .get('/repos/o/r/labels?per_page=1')
      .matchHeader('if-none-match', 'W/"one"')
      .reply(304, '', { etag: 'W/"one"' });
    const first = await client({ etags }).request('GET /repos/{owner}/{repo}/labels', {
      owner: 'o',
      repo: 'r',
      per_page: 1,
    });
    // A second client on the same store: as after a restart.
    const second = await client({ etags }).request('GET /repos/{owner}/{repo}/labels', {
      owner: 'o',
      repo: 'r',
      per_page: 1,
    });
    expect(first.data).toEqual([{ name: 'bug' }]);
    expect(second.status).toBe(200);
    expect(second.data).toEqual([{ name: 'bug' }]);
    expect(second.headers.link).toBe(link);
    expect(second.headers['x-codex-monitor-cache']).toBe('hit');
    scope.done();
  });

  it('lets octokit.paginate walk pages that all answer 304', async () => {
    const gh = client();
    const page2 = `${API}/repositories/1/issues?per_page=1&page=2`;
    nock(API)
      .get('/repos/o/r/issues?per_page=1')
      .reply(200, [{ number: 2 }], { etag: '"p1"', link: `<${page2}>; rel="next"` })
      .get('/repositories/1/issues?per_page=1&page=2')
      .reply(200, [{ number: 1 }], { etag: '"p2"' });
    const fresh = await gh.paginate('GET /repos/{owner}/{repo}/issues', {
      owner: 'o',
      repo: 'r',
      per_page: 1,
    });
    const scope = nock(API)
      .get('/repos/o/r/issues?per_page=1')
      .matchHeader('if-none-match', '"p1"')
      .reply(304)
      .get('/repositories/1/issues?per_page=1&page=2')
      .matchHeader('if-none-match', '"p2"')
      .reply(304);
    const cached = await gh.paginate('GET /repos/{owner}/{repo}/issues', {
      owner: 'o',
      repo: 'r',
      per_page: 1,
    });
    expect(cached).toEqual(fresh);
    expect(cached.map((i) => (i as { number: number }).number)).toEqual([2, 1]);
    scope.done();
  });

  it('does not cache writes or failures', async () => {
    const etags = new MemoryKeyValueStore();
    const gh = client({ etags, serverRetries: 0 });
    nock(API).get('/repos/o/r/labels').reply(500, { message: 'boom' }, { etag: '"x"' });
    await expect(gh.request('GET /repos/{owner}/{repo}/labels', { owner: 'o', repo: 'r' })).rejects.toThrow();
    const scope = nock(API)
      .get('/repos/o/r/labels')
      .matchHeader('if-none-match', (v) => v === undefined)
      .reply(200, []);
    await gh.request('GET /repos/{owner}/{repo}/labels', { owner: 'o', repo: 'r' });
    scope.done();
  });
});

describe('retries', () => {
  it('never repeats a POST after a 502, but retries a GET and a PATCH', async () => {
    const gh = client();
    const post = counting(502, { message: 'Server Error' });
    nock(API).post('/repos/o/r/issues/1/comments').times(4).reply(post.reply);
    const err = await gh.rest.issues
      .createComment({ owner: 'o', repo: 'r', issue_number: 1, body: 'x' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubUnavailableError);
    expect(post.calls.n).toBe(1);
    nock.cleanAll();

    const scope = nock(API)
      .get('/repos/o/r')
      .reply(502, { message: 'Server Error' })
      .get('/repos/o/r')
      .reply(200, { name: 'r' })
      .patch('/repos/o/r/issues/comments/5')
      .reply(503, { message: 'Service Unavailable' })
      .patch('/repos/o/r/issues/comments/5')
      .reply(200, { id: 5 });
    expect((await gh.rest.repos.get({ owner: 'o', repo: 'r' })).data).toEqual({ name: 'r' });
    const patched = await gh.rest.issues.updateComment({ owner: 'o', repo: 'r', comment_id: 5, body: 'y' });
    expect(patched.data).toEqual({ id: 5 });
    scope.done();
  });
});

describe('rate limits', () => {
  it('honours retry-after on a secondary-limit 403, tells onLimit, and retries', async () => {
    const limits: LimitInfo[] = [];
    const gh = client({ onLimit: (i) => limits.push(i) });
    const scope = nock(API)
      .post('/repos/o/r/labels')
      .reply(403, { message: 'You have exceeded a secondary rate limit.' }, { 'retry-after': '7' })
      .post('/repos/o/r/labels')
      .reply(201, { name: 'codex:done' });
    const res = await gh.rest.issues.createLabel({ owner: 'o', repo: 'r', name: 'codex:done' });
    expect(res.data).toEqual({ name: 'codex:done' });
    expect(limits).toHaveLength(1);
    expect(limits[0]).toMatchObject({ kind: 'secondary', retryAfterMs: 7000 });
    scope.done();
  });

  it('waits for x-ratelimit-reset on a primary-limit 429, then retries', async () => {
    const limits: LimitInfo[] = [];
    const gh = client({ onLimit: (i) => limits.push(i) });
    const reset = Math.floor(Date.now() / 1000) + 30;
    const scope = nock(API)
      .get('/repos/o/r')
      .reply(
        429,
        { message: 'API rate limit exceeded for user ID 1.' },
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
      )
      .get('/repos/o/r')
      .reply(200, { name: 'r' });
    expect((await gh.rest.repos.get({ owner: 'o', repo: 'r' })).data).toEqual({ name: 'r' });
    expect(limits).toHaveLength(1);
    expect(limits[0]!.kind).toBe('primary');
    expect(limits[0]!.retryAfterMs).toBeGreaterThan(25_000);
    expect(limits[0]!.retryAfterMs).toBeLessThanOrEqual(32_000);
    scope.done();
  });

  it('gives up after maxLimitRetries, and at once when the wait is too long', async () => {
    const limits: LimitInfo[] = [];
    const gh = client({ onLimit: (i) => limits.push(i), maxLimitRetries: 2, maxLimitWaitMs: 60_000 });
    const limited = counting(
      403,
      { message: 'You have exceeded a secondary rate limit.' },
      { 'retry-after': '1' },
    );
    nock(API).get('/repos/o/r').times(5).reply(limited.reply);
    const err = await gh.rest.repos.get({ owner: 'o', repo: 'r' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubRateLimitedError);
    expect(err).toMatchObject({
      code: 'GITHUB_RATE_LIMITED',
      kind: 'secondary',
      retryAfterMs: 1000,
      status: 403,
    });
    expect(limited.calls.n).toBe(3);
    expect(limits).toHaveLength(3);
    nock.cleanAll();

    const long = counting(429, { message: 'Too many' }, { 'retry-after': '3600' });
    nock(API).get('/repos/o/r').times(3).reply(long.reply);
    const late = await gh.rest.repos.get({ owner: 'o', repo: 'r' }).catch((e: unknown) => e);
    expect(late).toMatchObject({ code: 'GITHUB_RATE_LIMITED', retryAfterMs: 3_600_000 });
    expect(long.calls.n).toBe(1);
    expect(limits.at(-1)?.retryAfterMs).toBe(3_600_000);
    nock.cleanAll(); // the counting interceptors stay armed on purpose
  });
});

describe('typed errors', () => {
  const cases: Array<[number, Record<string, unknown>, Record<string, string>, unknown, string]> = [
    [401, { message: 'Bad credentials' }, {}, GitHubAuthError, 'GITHUB_UNAUTHORIZED'],
    [404, { message: 'Not Found' }, {}, GitHubNotFoundError, 'GITHUB_NOT_FOUND'],
    [409, { message: 'Conflict' }, {}, GitHubRequestError, 'GITHUB_REQUEST_FAILED'],
    [500, { message: 'Server Error' }, {}, GitHubUnavailableError, 'GITHUB_UNAVAILABLE'],
  ];
  it.each(cases)('maps %i', async (status, body, headers, type, code) => {
    const scope = nock(API).get('/repos/o/r').reply(status, body, headers);
    const err = await client({ serverRetries: 0 })
      .rest.repos.get({ owner: 'o', repo: 'r' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(type);
    expect(err).toMatchObject({ code, status, method: 'GET', path: '/repos/{owner}/{repo}' });
    scope.done();
  });

  it('names the permission of a 403 and the codes of a 422', async () => {
    const scope = nock(API)
      .post('/repos/o/r/git/refs')
      .reply(
        403,
        { message: 'Resource not accessible by personal access token' },
        { 'x-accepted-github-permissions': 'contents=write' },
      )
      .post('/repos/o/r/labels')
      .reply(422, {
        message: 'Validation Failed',
        errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }],
      });
    const gh = client();
    const denied = await gh.rest.git
      .createRef({ owner: 'o', repo: 'r', ref: 'refs/x/y', sha: 'a' })
      .catch((e) => e);
    expect(denied).toBeInstanceOf(GitHubPermissionError);
    expect((denied as GitHubPermissionError).permission).toBe('contents=write');
    expect((denied as Error).message).toContain('contents=write');
    const invalid = await gh.rest.issues.createLabel({ owner: 'o', repo: 'r', name: 'x' }).catch((e) => e);
    expect(invalid).toBeInstanceOf(GitHubValidationError);
    expect((invalid as GitHubValidationError).hasCode('already_exists')).toBe(true);
    expect((invalid as GitHubValidationError).errors).toHaveLength(1);
    scope.done();
  });
});

describe('logs', () => {
  it('carry method, route and status at debug, never the token', async () => {
    let out = '';
    const logger = pino(
      { level: 'trace' },
      {
        write: (s: string) => {
          out += s;
        },
      },
    );
    const gh = client({ logger, serverRetries: 0 });
    const scope = nock(API)
      .matchHeader('authorization', `token ${TOKEN}`)
      .get('/repos/o/r')
      .reply(200, { name: 'r' })
      .get('/repos/o/r/issues/1')
      .reply(401, { message: 'Bad credentials' })
      .post('/repos/o/r/issues/1/comments')
      .reply(403, { message: 'You have exceeded a secondary rate limit.' }, { 'retry-after': '99999' })
      .get('/repos/o/r/labels')
      .reply(502, { message: 'Server Error' });
    await gh.rest.repos.get({ owner: 'o', repo: 'r' });
    await gh.rest.issues.get({ owner: 'o', repo: 'r', issue_number: 1 }).catch(() => {});
    await gh.rest.issues.createComment({ owner: 'o', repo: 'r', issue_number: 1, body: 'b' }).catch(() => {});
    await gh.rest.issues.listLabelsForRepo({ owner: 'o', repo: 'r' }).catch(() => {});
    scope.done();
    expect(out).toContain('"route":"/repos/{owner}/{repo}"');
    expect(out).toContain('"status":401');
    expect(out).toContain('waiting on a GitHub rate limit');
    expect(out).not.toContain(TOKEN);
    expect(out.toLowerCase()).not.toContain('authorization');
  });
});
