/** The claim comment against the GitHub fake: found anywhere, edited in place, never duplicated. */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubClient } from '../../src/boards/github/client.js';
import {
  type MirrorState,
  renderStateComment,
  StateCommentStore,
} from '../../src/boards/github/state-comment.js';
import { MemoryKeyValueStore } from '../../src/state/kv-store.js';
import { type FakeGitHub, type SeedComment, startFakeGitHub } from '../support/github-fake/index.js';

let fake: FakeGitHub;
let logs = '';
const logger = pino(
  { level: 'warn' },
  {
    write: (s: string) => {
      logs += s;
    },
  },
);
const REPO = 'acme/comments';

const state = (over: Partial<MirrorState> = {}): MirrorState => ({
  owner: 'ws-a/agent-1',
  status: 'working',
  attempt: 1,
  maxAttempts: 3,
  since: '2026-01-01T00:00:00Z',
  heartbeat: '2026-01-01T00:01:00Z',
  logs: '/home/a/.codex-monitor/artifacts/1/1/',
  ...over,
});
const chatter = (n: number): SeedComment[] => Array.from({ length: n }, (_, i) => ({ body: `comment ${i}` }));
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
              comments: [...chatter(150), { body: renderStateComment(state({ nonce: 'deep' })) }],
            },
            { number: 2, title: 'original', comments: [...chatter(3), { body: original }, ...chatter(2)] },
            {
              number: 3,
              title: 'malformed',
              comments: [{ body: '<!-- codex-monitor-state {"v":2,"owner": -->' }],
            },
            { number: 4, title: 'fresh' },
            { number: 5, title: 'lost' },
            { number: 6, title: 'not ours any more' },
          ],
        },
      ],
    },
  });
});
afterAll(async () => {
  await fake.close();
});

function store() {
  const client = createGitHubClient({
    baseUrl: fake.url,
    token: 'test-token',
    etags: new MemoryKeyValueStore(),
    logger,
    pacing: false,
    waitUnitMs: 1,
  });
  return new StateCommentStore({ client, owner: 'acme', repo: 'comments', logger });
}
const holds = { stillHolds: async () => true };
const ours = (issue: number) =>
  fake.state.comments(REPO, issue).filter((c) => c.body.includes('codex-monitor-state'));

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

  it('ignores a malformed block and warns', async () => {
    logs = '';
    expect(await store().find(3)).toBeNull();
    expect(logs).toContain('malformed codex-monitor-state block');
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
    expect(ours(2)).toHaveLength(1);
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
    expect(fake.stats().byRoute['POST /repos/{owner}/{repo}/issues/{issue_number}/comments']).toBe(1);
  });

  it('writes nothing at all when the claim is no longer held', async () => {
    fake.resetStats();
    const result = await store().upsert(6, state(), { stillHolds: async () => false });
    expect(result).toEqual({ written: false, id: null });
    expect(fake.stats()).toMatchObject({ writes: 0, requests: 0 });
    expect(fake.state.comments(REPO, 6)).toHaveLength(0);
  });
});
