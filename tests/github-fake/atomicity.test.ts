/**
 * Atomicity under real concurrency over real HTTP: parallel requests race on one ref, with
 * random latency so their processing order differs from their sending order.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';
import { call, REPO, statusCounts } from './helpers.js';

const N = 50;
let fake: FakeGitHub;
const api = (method: string, path: string, body?: unknown) => call(fake.url, method, path, { body });
const main = () => fake.state.ref('acme/widgets', 'heads/main')!;
const treeOf = (sha: string) => fake.state.commit('acme/widgets', sha)!.tree;

async function commitOn(parent: string, message: string): Promise<string> {
  const reply = await api('POST', `${REPO}/git/commits`, {
    message,
    tree: treeOf(parent),
    parents: [parent],
  });
  expect(reply.status).toBe(201);
  return reply.body.sha;
}

beforeAll(async () => {
  // Enough secondary budget for the bursts below; the limit itself is tested in limits.test.ts.
  fake = await startFakeGitHub({ secondaryPerMinute: 10_000, secondaryPerHour: 10_000, rngSeed: 7 });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.setKnobs({ latencyMs: 0, latencyJitterMs: 30, readLagMs: 0 });
});

describe('ref atomicity', () => {
  it(`${N} parallel creations of one ref: exactly one 201, the rest 422 "Reference already exists"`, async () => {
    const shas = await Promise.all(Array.from({ length: N }, (_, i) => commitOn(main(), `claim ${i}`)));
    const replies = await Promise.all(
      shas.map((sha) => api('POST', `${REPO}/git/refs`, { ref: 'refs/codex-monitor/tasks/1', sha })),
    );
    expect(statusCounts(replies)).toEqual({ 201: 1, 422: N - 1 });
    const winner = replies.find((r) => r.status === 201)!;
    expect(fake.state.ref('acme/widgets', 'codex-monitor/tasks/1')).toBe(winner.body.object.sha);
    for (const r of replies.filter((x) => x.status === 422))
      expect(r.body.message).toBe('Reference already exists');
  });

  it(`${N} parallel fast-forwards from one observed tip: exactly one wins (compare-and-swap)`, async () => {
    const ref = 'codex-monitor/tasks/2';
    const tip = await commitOn(main(), 'tip');
    expect((await api('POST', `${REPO}/git/refs`, { ref: `refs/${ref}`, sha: tip })).status).toBe(201);
    // Every writer builds its own child of the tip it observed, then tries to move the ref.
    const children = await Promise.all(Array.from({ length: N }, (_, i) => commitOn(tip, `owner ${i}`)));
    expect(new Set(children).size).toBe(N);
    const replies = await Promise.all(
      children.map((sha) => api('PATCH', `${REPO}/git/refs/${ref}`, { sha, force: false })),
    );
    expect(statusCounts(replies)).toEqual({ 200: 1, 422: N - 1 });
    const winner = replies.find((r) => r.status === 200)!.body.object.sha;
    expect(fake.state.ref('acme/widgets', ref)).toBe(winner);
    for (const r of replies.filter((x) => x.status === 422)) {
      expect(r.body.message).toBe('Update is not a fast forward');
    }
  });

  it('chained CAS: each of N sequential rounds with racing writers advances the ref by exactly one', async () => {
    const ref = 'codex-monitor/owners/host-a';
    let tip = await commitOn(main(), 'heartbeat 0');
    await api('POST', `${REPO}/git/refs`, { ref: `refs/${ref}`, sha: tip });
    for (let round = 1; round <= 5; round++) {
      const kids = await Promise.all([1, 2, 3, 4].map((w) => commitOn(tip, `round ${round} writer ${w}`)));
      const replies = await Promise.all(kids.map((sha) => api('PATCH', `${REPO}/git/refs/${ref}`, { sha })));
      expect(statusCounts(replies)).toEqual({ 200: 1, 422: 3 });
      tip = fake.state.ref('acme/widgets', ref)!;
    }
    expect(fake.state.history('acme/widgets', tip)).toHaveLength(
      5 + 1 + fake.state.history('acme/widgets', main()).length,
    );
  });

  it('a PATCH to a commit that does not descend from the tip fails; force: true overrides', async () => {
    const ref = 'codex-monitor/tasks/3';
    const base = await commitOn(main(), 'base');
    await api('POST', `${REPO}/git/refs`, { ref: `refs/${ref}`, sha: base });
    const sibling = await commitOn(main(), 'sibling, not a descendant of base');
    const refused = await api('PATCH', `${REPO}/git/refs/${ref}`, { sha: sibling });
    expect(refused.status).toBe(422);
    expect(refused.body.message).toBe('Update is not a fast forward');
    expect(fake.state.ref('acme/widgets', ref)).toBe(base);
    // Moving back to an ancestor is not a fast-forward either.
    expect((await api('PATCH', `${REPO}/git/refs/${ref}`, { sha: main() })).status).toBe(422);
    // Same sha is a (no-op) fast-forward.
    expect((await api('PATCH', `${REPO}/git/refs/${ref}`, { sha: base })).status).toBe(200);
    const forced = await api('PATCH', `${REPO}/git/refs/${ref}`, { sha: sibling, force: true });
    expect(forced.status).toBe(200);
    expect(fake.state.ref('acme/widgets', ref)).toBe(sibling);
  });

  it('deleting one ref in parallel: one 204, the rest 422 "Reference does not exist"', async () => {
    await api('POST', `${REPO}/git/refs`, { ref: 'refs/codex-monitor/tasks/4', sha: main() });
    const replies = await Promise.all(
      Array.from({ length: 20 }, () => api('DELETE', `${REPO}/git/refs/codex-monitor/tasks/4`)),
    );
    expect(statusCounts(replies)).toEqual({ 204: 1, 422: 19 });
    expect(fake.state.ref('acme/widgets', 'codex-monitor/tasks/4')).toBeUndefined();
  });

  it('with read lag, a CAS built on a stale read still checks the current tip', async () => {
    const ref = 'codex-monitor/tasks/5';
    const tip = await commitOn(main(), 'lagged tip');
    await api('POST', `${REPO}/git/refs`, { ref: `refs/${ref}`, sha: tip });
    fake.setKnobs({ readLagMs: 400, latencyJitterMs: 0 });
    await new Promise((r) => setTimeout(r, 420)); // the ref's creation is now visible to lagged reads
    const newer = await commitOn(tip, 'someone else moved it');
    expect((await api('PATCH', `${REPO}/git/refs/${ref}`, { sha: newer })).status).toBe(200);
    // The lagged read still shows the old tip; a writer trusting it builds on a stale parent.
    const seen = await api('GET', `${REPO}/git/ref/${ref}`);
    expect(seen.body.object.sha).toBe(tip);
    const stale = await commitOn(tip, 'built on the stale read');
    const reply = await api('PATCH', `${REPO}/git/refs/${ref}`, { sha: stale });
    expect(reply.status).toBe(422);
    expect(fake.state.ref('acme/widgets', ref)).toBe(newer);
  });
});

describe('other concurrent writes', () => {
  it('parallel issue creations get distinct consecutive numbers', async () => {
    const before = fake.state.issues('acme/widgets').length;
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, i) => api('POST', `${REPO}/issues`, { title: `parallel ${i}` })),
    );
    const numbers = replies.map((r) => r.body.number as number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 30 }, (_, i) => before + 1 + i));
  });

  it('parallel comments: all kept, ids unique and increasing with creation, count exact', async () => {
    const n = (await api('POST', `${REPO}/issues`, { title: 'comments race' })).body.number;
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, i) => api('POST', `${REPO}/issues/${n}/comments`, { body: `c${i}` })),
    );
    expect(statusCounts(replies)).toEqual({ 201: 30 });
    const stored = fake.state.comments('acme/widgets', n);
    expect(new Set(stored.map((c) => c.id)).size).toBe(30);
    expect(fake.state.issue('acme/widgets', n)?.comments).toBe(30);
    const list = await api('GET', `${REPO}/issues/${n}/comments?per_page=100`);
    const ids = list.body.map((c: { id: number }) => c.id);
    expect(ids).toEqual([...ids].sort((a: number, b: number) => a - b));
  });

  it('parallel label additions to one issue: none is lost', async () => {
    const n = (await api('POST', `${REPO}/issues`, { title: 'labels race' })).body.number;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => api('POST', `${REPO}/issues/${n}/labels`, { labels: [`l${i}`] })),
    );
    expect(fake.state.issue('acme/widgets', n)?.labels.sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `l${i}`).sort(),
    );
  });
});
