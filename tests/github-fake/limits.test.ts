/** Primary and secondary rate limits, conditional requests and ETags. */
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeGitHub, type FakeGitHubOptions, startFakeGitHub } from '../support/github-fake/index.js';
import { call, REPO } from './helpers.js';

let fake: FakeGitHub | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(opts: FakeGitHubOptions): Promise<FakeGitHub> {
  fake = await startFakeGitHub(opts);
  return fake;
}

const remaining = (headers: Headers) => Number(headers.get('x-ratelimit-remaining'));

describe('primary rate limit', () => {
  it('counts down per request, then answers 403 with remaining 0 and a reset time', async () => {
    const f = await start({ primaryLimit: 3 });
    const seen: number[] = [];
    for (let i = 0; i < 3; i++) {
      const reply = await call(f.url, 'GET', REPO);
      expect(reply.status).toBe(200);
      seen.push(remaining(reply.headers));
      expect(reply.headers.get('x-ratelimit-resource')).toBe('core');
      expect(Number(reply.headers.get('x-ratelimit-used'))).toBe(i + 1);
    }
    expect(seen).toEqual([2, 1, 0]);
    const refused = await call(f.url, 'GET', REPO);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/^API rate limit exceeded for user ID \d+/);
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
    const reset = Number(refused.headers.get('x-ratelimit-reset'));
    expect(reset * 1000).toBeGreaterThan(Date.now() + 3_500_000);
    expect(f.stats().primaryLimitHits).toBe(1);
  });

  it('each token has its own budget; GET /rate_limit is free and reports it', async () => {
    const f = await start({ primaryLimit: 2, tokens: [{ token: 'a' }, { token: 'b' }] });
    await call(f.url, 'GET', REPO, { token: 'a' });
    await call(f.url, 'GET', REPO, { token: 'a' });
    expect((await call(f.url, 'GET', REPO, { token: 'a' })).status).toBe(403);
    expect((await call(f.url, 'GET', REPO, { token: 'b' })).status).toBe(200);
    const rate = await call(f.url, 'GET', '/rate_limit', { token: 'b' });
    const rate2 = await call(f.url, 'GET', '/rate_limit', { token: 'b' });
    expect(rate.body.resources.core).toMatchObject({ limit: 2, used: 1, remaining: 1 });
    expect(rate2.body.resources.core.remaining).toBe(1);
  });

  it('a per-token primaryLimit overrides the server default', async () => {
    const f = await start({ primaryLimit: 100, tokens: [{ token: 'small', primaryLimit: 1 }] });
    expect((await call(f.url, 'GET', REPO, { token: 'small' })).headers.get('x-ratelimit-limit')).toBe('1');
    expect((await call(f.url, 'GET', REPO, { token: 'small' })).status).toBe(403);
  });

  it('answers 429 when rateLimitStatus is 429, and renews when the clock passes the reset', async () => {
    const f = await start({ primaryLimit: 1, knobs: { rateLimitStatus: 429 } });
    await call(f.url, 'GET', REPO);
    expect((await call(f.url, 'GET', REPO)).status).toBe(429);
    f.setKnobs({ clockOffsetMs: 3_601_000 });
    const renewed = await call(f.url, 'GET', REPO);
    expect(renewed.status).toBe(200);
    expect(remaining(renewed.headers)).toBe(0);
  });
});

describe('ETag and conditional requests', () => {
  it('sends a weak ETag derived from the body; a match is a 304 that costs nothing', async () => {
    const f = await start({ primaryLimit: 10 });
    const first = await call(f.url, 'GET', `${REPO}/labels`);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"[0-9a-f]{64}"$/);
    const again = await call(f.url, 'GET', `${REPO}/labels`);
    expect(again.headers.get('etag')).toBe(etag);
    const before = remaining(again.headers);
    for (let i = 0; i < 3; i++) {
      const cached = await call(f.url, 'GET', `${REPO}/labels`, { headers: { 'if-none-match': etag } });
      expect(cached.status).toBe(304);
      expect(cached.body).toBeUndefined();
      expect(cached.headers.get('etag')).toBe(etag);
      expect(remaining(cached.headers)).toBe(before);
    }
    expect(f.stats().notModified).toBe(3);
    // A change makes the same conditional request a full (and charged) 200 with a new ETag.
    await call(f.url, 'POST', `${REPO}/labels`, { body: { name: 'new' } });
    const changed = await call(f.url, 'GET', `${REPO}/labels`, { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(remaining(changed.headers)).toBe(before - 2);
  });

  it('with the budget exhausted even a conditional GET is refused: the budget is checked first', async () => {
    const f = await start({ primaryLimit: 1 });
    const first = await call(f.url, 'GET', REPO);
    const etag = first.headers.get('etag')!;
    const cached = await call(f.url, 'GET', REPO, { headers: { 'if-none-match': etag } });
    expect(cached.status).toBe(403);
  });

  it('matches any tag in a list, weak or strong form', async () => {
    const f = await start({});
    const etag = (await call(f.url, 'GET', REPO)).headers.get('etag')!;
    const strong = etag.replace(/^W\//, '');
    const reply = await call(f.url, 'GET', REPO, { headers: { 'if-none-match': `"other", ${strong}` } });
    expect(reply.status).toBe(304);
  });
});

describe('secondary (content creation) limit', () => {
  it('refuses the request past the per-minute budget with retry-after; others still pass', async () => {
    const f = await start({ secondaryPerMinute: 3, secondaryPerHour: 100 });
    for (let i = 0; i < 3; i++) {
      expect((await call(f.url, 'POST', `${REPO}/issues`, { body: { title: `t${i}` } })).status).toBe(201);
    }
    const refused = await call(f.url, 'POST', `${REPO}/issues/1/comments`, { body: { body: 'x' } });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('You have exceeded a secondary rate limit');
    const wait = Number(refused.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    expect(f.state.comments('acme/widgets', 1)).toEqual([]);
    // Reads and non-creating writes are not content creation.
    expect((await call(f.url, 'GET', `${REPO}/issues/1`)).status).toBe(200);
    expect((await call(f.url, 'PATCH', `${REPO}/issues/1`, { body: { title: 'renamed' } })).status).toBe(200);
    expect((await call(f.url, 'POST', `${REPO}/issues/1/labels`, { body: { labels: ['l'] } })).status).toBe(
      200,
    );
    const stats = f.stats();
    expect(stats.secondaryLimitHits).toBe(1);
    expect(stats.contentCreating).toBe(4);
    // The sliding minute passes.
    f.setKnobs({ clockOffsetMs: 61_000 });
    expect((await call(f.url, 'POST', `${REPO}/issues/1/comments`, { body: { body: 'x' } })).status).toBe(
      201,
    );
  });

  it('has an hourly budget too, counted per token', async () => {
    const f = await start({
      secondaryPerMinute: 100,
      secondaryPerHour: 2,
      tokens: [{ token: 'a' }, { token: 'b' }],
    });
    const sha = f.state.ref('acme/widgets', 'heads/main')!;
    const create = (token: string, i: number) =>
      call(f.url, 'POST', `${REPO}/git/refs`, { token, body: { ref: `refs/h/${token}${i}`, sha } });
    expect((await create('a', 1)).status).toBe(201);
    expect((await create('a', 2)).status).toBe(201);
    const refused = await create('a', 3);
    expect(refused.status).toBe(403);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(3_500);
    expect((await create('b', 1)).status).toBe(201);
  });
});
