/** Two daemons that each wrote one of two twin state comments clean up at the same moment. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { renderStateComment } from '../../src/boards/github/mirror/index.js';
import { MemoryKeyValueStore } from '../../src/state/kv-store.js';
import { type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';
import { capturedLogger, commentStore, mirrorState } from './state-comment-support.js';

let fake: FakeGitHub;
const REPO = 'acme/twins';
const { logger } = capturedLogger();
const twin = (nonce: string) => renderStateComment(mirrorState({ nonce, status: 'done', epoch: 2 }));

beforeAll(async () => {
  fake = await startFakeGitHub({
    seed: {
      repos: [
        {
          owner: 'acme',
          name: 'twins',
          issues: [
            { number: 2, title: 'two creators' },
            {
              number: 1,
              title: 'two writers',
              comments: ['a', 'b'].map((n) => ({
                body: twin(n),
                user: 'ws-bot',
                authorAssociation: 'MEMBER',
              })),
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

it('two daemons cleaning up the same twins at once keep the same one, never neither', async () => {
  const [a, b] = fake.state.comments(REPO, 1);
  // Each daemon remembers its own twin, in doubt (a second POST was made): its next write looks.
  const storeOf = (comment: typeof a, nonce: string) => {
    const cache = new MemoryKeyValueStore();
    cache.set(
      'state-comment',
      `${REPO}#1`,
      JSON.stringify({ id: comment!.id, nonce, body: comment!.body, verify: true }),
    );
    return commentStore(fake, REPO, { logger, cache, rereadDelaysMs: [] });
  };
  const next = mirrorState({ status: 'done', epoch: 2, heartbeat: '2026-01-01T00:02:00Z' });
  const holds = { stillHolds: async () => true };
  await Promise.all([storeOf(a, 'a').upsert(1, next, holds), storeOf(b, 'b').upsert(1, next, holds)]);
  const left = fake.state.comments(REPO, 1).filter((c) => c.body.includes('codex-monitor-state'));
  expect(left).toHaveLength(1);
});

it('two daemons that raced to create the comment (neither saw the other’s) settle on one', async () => {
  // Reads lag writes: each writer's search finds nothing, and each POSTs its own comment.
  fake.setKnobs({ readLagMs: 1_000 });
  try {
    const stores = [0, 1].map(() =>
      commentStore(fake, REPO, { logger, cache: new MemoryKeyValueStore(), rereadDelaysMs: [500, 1_000] }),
    );
    const next = mirrorState({ status: 'done', epoch: 2 });
    await Promise.all(stores.map((s) => s.upsert(2, next, { stillHolds: async () => true })));
    const stateComments = () =>
      fake.state.comments(REPO, 2).filter((c) => c.body.includes('codex-monitor-state'));
    expect(stateComments()).toHaveLength(2); // the race really happened
    expect(stores.map((s) => s.inDoubt(2))).toEqual([true, true]);
    await new Promise((r) => setTimeout(r, 1_100)); // what the mirror waits before settling
    await Promise.all(stores.map((s) => s.settle(2)));
    expect(stateComments()).toHaveLength(1);
    expect(stores.map((s) => s.inDoubt(2))).toEqual([false, false]);
  } finally {
    fake.setKnobs({ readLagMs: 0 });
  }
});
