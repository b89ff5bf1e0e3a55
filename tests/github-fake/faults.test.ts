/** Fault knobs: read lag, lost responses, injected 5xx, latency, clock offset, determinism. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultKnobs, type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';
import { call, REPO, sleep } from './helpers.js';

let fake: FakeGitHub;
const api = (method: string, path: string, body?: unknown) => call(fake.url, method, path, { body });

beforeAll(async () => {
  fake = await startFakeGitHub({ rngSeed: 42 });
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => {
  fake.setKnobs(defaultKnobs());
});

describe('read lag', () => {
  // Generous, so a slow machine still sends the "immediate" read well within the lag.
  const LAG = 400;

  it('a write followed by an immediate read sees the old state, and the new one after the lag', async () => {
    const n = (await api('POST', `${REPO}/issues`, { title: 'before' })).body.number;
    await sleep(10);
    fake.setKnobs({ readLagMs: LAG });
    await sleep(LAG + 20); // the creation is now older than the lag
    const patched = await api('PATCH', `${REPO}/issues/${n}`, { title: 'after', labels: ['seen-late'] });
    // The write itself answers with the current state.
    expect(patched.body.title).toBe('after');
    const early = await api('GET', `${REPO}/issues/${n}`);
    expect(early.body.title).toBe('before');
    expect(early.body.labels).toEqual([]);
    const list = await api('GET', `${REPO}/issues?labels=seen-late`);
    expect(list.body).toEqual([]);
    await sleep(LAG + 20);
    const late = await api('GET', `${REPO}/issues/${n}`);
    expect(late.body.title).toBe('after');
    expect(late.body.labels.map((l: { name: string }) => l.name)).toEqual(['seen-late']);
  });

  it('a just-created ref is not found by a lagged read, but a second creation already conflicts', async () => {
    fake.setKnobs({ readLagMs: LAG });
    const sha = fake.state.ref('acme/widgets', 'heads/main')!;
    expect((await api('POST', `${REPO}/git/refs`, { ref: 'refs/lag/one', sha })).status).toBe(201);
    expect((await api('GET', `${REPO}/git/ref/lag/one`)).status).toBe(404);
    expect((await api('GET', `${REPO}/git/matching-refs/lag/`)).body).toEqual([]);
    expect((await api('POST', `${REPO}/git/refs`, { ref: 'refs/lag/one', sha })).status).toBe(422);
    await sleep(LAG + 20);
    expect((await api('GET', `${REPO}/git/ref/lag/one`)).status).toBe(200);
  });

  it('seeded data is visible to lagged reads at once', async () => {
    fake.setKnobs({ readLagMs: 10_000 });
    fake.seed({
      repos: [{ owner: 'acme', name: 'seeded-late', issues: [{ title: 'from seed', labels: ['s'] }] }],
    });
    const reply = await api('GET', '/repos/acme/seeded-late/issues/1');
    expect(reply.status).toBe(200);
    expect(reply.body.labels.map((l: { name: string }) => l.name)).toEqual(['s']);
  });
});

describe('lost responses', () => {
  it('lostResponseNext: the write is committed but answered 502, then writes answer normally', async () => {
    const n = (await api('POST', `${REPO}/issues`, { title: 'lost' })).body.number;
    fake.setKnobs({ lostResponseNext: 1 });
    const lost = await api('POST', `${REPO}/issues/${n}/comments`, { body: 'applied anyway' });
    expect(lost.status).toBe(502);
    expect(fake.state.comments('acme/widgets', n).map((c) => c.body)).toEqual(['applied anyway']);
    expect(fake.knobs().lostResponseNext).toBe(0);
    const next = await api('POST', `${REPO}/issues/${n}/comments`, { body: 'second' });
    expect(next.status).toBe(201);
    expect(fake.stats().lostResponses).toBeGreaterThanOrEqual(1);
  });

  it('lostResponseRate 1: a ref creation lost in transit is there; blindly retrying gets 422', async () => {
    fake.setKnobs({ lostResponseRate: 1 });
    const sha = fake.state.ref('acme/widgets', 'heads/main')!;
    expect((await api('POST', `${REPO}/git/refs`, { ref: 'refs/lost/one', sha })).status).toBe(502);
    fake.setKnobs({ lostResponseRate: 0 });
    expect(fake.state.ref('acme/widgets', 'lost/one')).toBe(sha);
    const retry = await api('POST', `${REPO}/git/refs`, { ref: 'refs/lost/one', sha });
    expect(retry.status).toBe(422);
  });

  it('failed writes and reads do not lose their response', async () => {
    fake.setKnobs({ lostResponseRate: 1 });
    expect((await api('GET', REPO)).status).toBe(200);
    expect((await api('PATCH', `${REPO}/issues/99999`, { title: 'x' })).status).toBe(404);
  });
});

describe('injected 5xx', () => {
  it('errorRate 1 answers 502/503 before any change, and counts them', async () => {
    const before = fake.state.issues('acme/widgets').length;
    const injectedBefore = fake.stats().injected5xx;
    fake.setKnobs({ errorRate: 1 });
    const replies = await Promise.all(
      Array.from({ length: 10 }, () => api('POST', `${REPO}/issues`, { title: 'never stored' })),
    );
    expect(replies.every((r) => r.status === 502 || r.status === 503)).toBe(true);
    expect(fake.state.issues('acme/widgets')).toHaveLength(before);
    expect(fake.stats().injected5xx - injectedBefore).toBe(10);
  });

  it('the same rngSeed gives the same fault sequence', async () => {
    const run = async () => {
      const f = await startFakeGitHub({ rngSeed: 99, knobs: { errorRate: 0.5 } });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await call(f.url, 'GET', REPO)).status);
      await f.close();
      return statuses;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    // Some of each, or the rate knob would not be doing anything.
    expect(new Set(first).size).toBeGreaterThan(1);
  });
});

describe('latency and clock', () => {
  it('latencyMs delays every answer by at least that much', async () => {
    fake.setKnobs({ latencyMs: 120 });
    const started = performance.now();
    await api('GET', REPO);
    expect(performance.now() - started).toBeGreaterThanOrEqual(115);
  });

  it('clockOffsetMs moves the Date header and new timestamps', async () => {
    const day = 86_400_000;
    fake.setKnobs({ clockOffsetMs: day });
    const reply = await api('POST', `${REPO}/issues`, { title: 'from the future' });
    const date = Date.parse(reply.headers.get('date')!);
    expect(Math.abs(date - (Date.now() + day))).toBeLessThan(5_000);
    expect(Math.abs(Date.parse(reply.body.created_at) - (Date.now() + day))).toBeLessThan(5_000);
  });

  it('rejects unknown or out-of-range knobs', async () => {
    expect(() => fake.setKnobs({ errorRate: 2 })).toThrow(/errorRate/);
    expect(() => fake.setKnobs({ nope: 1 } as never)).toThrow(/unknown/);
    const reply = await call(fake.url, 'POST', '/_fake/knobs', { body: { latencyMs: -1 }, token: null });
    expect(reply.status).toBe(400);
  });
});

describe('X-Poll-Interval', () => {
  it('is sent on every GET answer, 304s included, only while the knob is set', async () => {
    const path = `${REPO}/issues?state=all`;
    expect((await api('GET', path)).headers.get('x-poll-interval')).toBeNull();
    fake.setKnobs({ pollIntervalSeconds: 60 });
    const listed = await api('GET', path);
    expect(listed.headers.get('x-poll-interval')).toBe('60');
    const etag = listed.headers.get('etag')!;
    const cached = await call(fake.url, 'GET', path, { headers: { 'if-none-match': etag } });
    expect(cached.status).toBe(304);
    expect(cached.headers.get('x-poll-interval')).toBe('60');
    const created = await api('POST', `${REPO}/issues`, { title: 'a write' });
    expect(created.headers.get('x-poll-interval')).toBeNull();
  });
});
