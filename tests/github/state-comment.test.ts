/** The claim comment against the GitHub fake: found anywhere, edited in place, never duplicated. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseStateComment, renderStateComment } from '../../src/boards/github/mirror/index.js';
import { MemoryKeyValueStore } from '../../src/state/kv-store.js';
import { type FakeGitHub, type SeedComment, startFakeGitHub } from '../support/github-fake/index.js';
import { capturedLogger, commentStore, mirrorState } from './state-comment-support.js';

let fake: FakeGitHub;
const { logger, sink: logs } = capturedLogger();
const REPO = 'acme/comments';
const POST = 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments';
const DELETE = 'DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}';
const state: typeof mirrorState = (over) =>
  mirrorState({ logs: '/home/a/.codex-monitor/artifacts/1/1', ...over });
const chatter = (n: number): SeedComment[] => Array.from({ length: n }, (_, i) => ({ body: `comment ${i}` }));
/** Seeded comments are NONE by default, as a stranger's: the fleet's carry a trusted association. */
const fleet = (body: string): SeedComment => ({ body, user: 'ws-bot', authorAssociation: 'MEMBER' });
const original =
  '<!-- codex-monitor-state\n{ "ownerId": "old-host", "attemptToken": "tok", "attemptStarted": "2025-01-01T00:00:00Z", ' +
  '"heartbeat": "2025-01-01T00:01:00Z", "status": "working", "retryCount": 1 }\n-->\nWorking on it.';

beforeAll(async () => {
  fake = await startFakeGitHub({
    seed: {
      repos: [
        {
          owner: 'acme',
          name: 'comments',
          issues: [
            {
              number: 1,
              title: 'deep',
              comments: [...chatter(150), fleet(renderStateComment(state({ nonce: 'deep' })))],
            },
            { number: 2, title: 'original', comments: [...chatter(3), fleet(original), ...chatter(2)] },
            {
              number: 3,
              title: 'malformed',
              comments: [fleet('<!-- codex-monitor-state {"v":2,"owner": -->')],
            },
            { number: 4, title: 'fresh' },
            { number: 5, title: 'lost' },
            { number: 6, title: 'not ours any more' },
            { number: 7, title: 'lost, then a lagged 304' },
            { number: 8, title: 'lost, and not seen in time' },
            {
              number: 9,
              title: 'twins',
              comments: [
                fleet(renderStateComment(state({ nonce: 'twin', status: 'working' }))),
                fleet(`Is this stuck?\n${renderStateComment(state({ nonce: 'human' }))}`),
                fleet(renderStateComment(state({ nonce: 'twin', status: 'released', outcome: 'failed' }))),
                { body: 'unrelated' },
              ],
            },
          ],
        },
      ],
    },
  });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.setKnobs({ readLagMs: 0, lostResponseNext: 0 });
});

function store(options: { cache?: MemoryKeyValueStore; rereadDelaysMs?: number[] } = {}) {
  return commentStore(fake, REPO, { logger, ...options });
}
const holds = { stillHolds: async () => true };
const ours = (issue: number) =>
  fake.state.comments(REPO, issue).filter((c) => parseStateComment(c.body) && c.body.startsWith('**codex'));

describe('StateCommentStore.find', () => {
  it('finds our comment behind 150 others', async () => {
    fake.resetStats();
    const found = await store().find(1);
    expect(found?.state).toMatchObject({ version: 2, nonce: 'deep', owner: 'ws-a/agent-1' });
    expect(found?.id).toBe(fake.state.comments(REPO, 1).at(-1)!.id);
    expect(fake.stats().requests).toBe(2);
  });

  it("reads the original codex-monitor's block", async () => {
    const found = await store().find(2);
    expect(found?.state).toMatchObject({
      version: 1,
      owner: 'old-host',
      attemptToken: 'tok',
      status: 'working',
    });
  });

  it('ignores a malformed block and warns once, not on every read', async () => {
    logs.text = '';
    const s = store();
    expect(await s.find(3)).toBeNull();
    expect(await s.find(3)).toBeNull();
    expect(logs.text.match(/malformed codex-monitor-state block/g)).toHaveLength(1);
  });
});

describe('StateCommentStore.upsert', () => {
  it('creates once, then edits in place; an unchanged state is not written', async () => {
    const s = store();
    const first = await s.upsert(4, state({ status: 'claimed' }), holds);
    const second = await s.upsert(4, state({ status: 'working' }), holds);
    const third = await s.upsert(4, state({ status: 'done', outcome: 'success' }), holds);
    expect([first.written, second.written, third.written]).toEqual([true, true, true]);
    expect(new Set([first.id, second.id, third.id]).size).toBe(1);
    const comments = fake.state.comments(REPO, 4);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('"status":"done"');

    fake.resetStats();
    expect(await s.upsert(4, state({ status: 'done', outcome: 'success' }), holds)).toEqual({
      written: false,
      id: first.id,
    });
    expect(fake.stats().writes).toBe(0);
  });

  it('migrates the original block by editing that comment', async () => {
    const before = fake.state.comments(REPO, 2).length;
    const result = await store().upsert(2, state(), holds);
    expect(result.written).toBe(true);
    expect(fake.state.comments(REPO, 2)).toHaveLength(before);
    expect(fake.state.comments(REPO, 2).filter((c) => c.body.includes('codex-monitor-state'))).toHaveLength(
      1,
    );
    expect(ours(2)[0]!.body).toContain('"v":2');
  });

  it('does not duplicate a comment whose POST answer was lost', async () => {
    fake.setKnobs({ lostResponseNext: 1 });
    fake.resetStats();
    const result = await store().upsert(5, state(), holds);
    expect(fake.stats().lostResponses).toBe(1);
    expect(result.written).toBe(true);
    expect(ours(5)).toHaveLength(1);
    expect(result.id).toBe(ours(5)[0]!.id);
    expect(fake.stats().byRoute[POST]).toBe(1);
  });

  it('writes nothing at all when the claim is no longer held', async () => {
    fake.resetStats();
    const result = await store().upsert(6, state(), { stillHolds: async () => false });
    expect(result).toEqual({ written: false, id: null });
    expect(fake.stats()).toMatchObject({ writes: 0, requests: 0 });
    expect(fake.state.comments(REPO, 6)).toHaveLength(0);
  });
});

describe('a lost POST under read lag (issue 9, item 5)', () => {
  it('reads past the ETag cache, waits out the lag and posts once', async () => {
    const s = store({ cache: new MemoryKeyValueStore(), rereadDelaysMs: [100, 200, 400, 800] });
    expect(await s.find(7)).toBeNull(); // the empty list is now in the ETag cache
    fake.setKnobs({ readLagMs: 600, lostResponseNext: 1 });
    fake.resetStats();
    const result = await s.upsert(7, state(), holds);
    expect(fake.stats().lostResponses).toBe(1);
    expect(fake.stats().byRoute[POST]).toBe(1);
    expect(result).toEqual({ written: true, id: ours(7)[0]!.id });

    fake.setKnobs({ readLagMs: 0 });
    await s.upsert(7, state({ status: 'done', outcome: 'success' }), holds);
    expect(ours(7)).toHaveLength(1);
    expect(parseStateComment(ours(7)[0]!.body)?.status).toBe('done');
  });

  it('deletes the twin a second POST left once the first becomes visible', async () => {
    const s = store({ cache: new MemoryKeyValueStore(), rereadDelaysMs: [20, 40] });
    expect(await s.find(8)).toBeNull();
    fake.setKnobs({ readLagMs: 5_000, lostResponseNext: 1 });
    fake.resetStats();
    const result = await s.upsert(8, state(), holds);
    // The first POST stayed invisible through every bounded re-read: a second one was made.
    expect(fake.stats().byRoute[POST]).toBe(2);
    expect(ours(8)).toHaveLength(2);
    expect(new Set(ours(8).map((c) => parseStateComment(c.body)?.nonce)).size).toBe(1);

    fake.setKnobs({ readLagMs: 0 });
    const done = await s.upsert(8, state({ status: 'done', outcome: 'success' }), holds);
    expect(ours(8)).toHaveLength(1);
    expect(done.id).toBe(result.id);
    expect(parseStateComment(ours(8)[0]!.body)?.status).toBe('done');
  });

  it('keeps one of the twins it finds, the newest, and never deletes what a person wrote', async () => {
    const [first, human, newest] = fake.state.comments(REPO, 9);
    fake.resetStats();
    const result = await store().upsert(9, state({ epoch: 2, status: 'working' }), holds);
    expect(result.id).toBe(newest!.id);
    expect(fake.stats().byRoute[DELETE]).toBe(1);
    const left = fake.state.comments(REPO, 9).map((c) => c.id);
    expect(left).not.toContain(first!.id);
    expect(left).toContain(human!.id);
    expect(fake.state.comments(REPO, 9).find((c) => c.id === human!.id)!.body).toBe(human!.body);
    expect(parseStateComment(ours(9)[0]!.body)).toMatchObject({ epoch: 2, status: 'working', nonce: 'twin' });
  });
});
