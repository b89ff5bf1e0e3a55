/**
 * What the Projects sync costs in GraphQL requests (each paced like a write by octokit's
 * throttling), counted by the fake: a move of a known card is one mutation, a card already in
 * its column none, and a poll cycle with PROJECT_READY_STATUS reads the cards once for the Ready
 * gate and the audit. The figures are in docs/benchmarks.md.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerView } from '../../src/boards/github/ledger/index.js';
import { ProjectMirror, ProjectSync, ReadyGate } from '../../src/boards/github/project/index.js';
import { silentLogger } from '../../src/core/logger.js';
import { MemoryKeyValueStore } from '../../src/state/kv-store.js';
import { fakeClient } from '../support/fake-client.js';
import { ownerIssues, REPOSITORY } from '../support/github-daemons.js';
import { type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';
import { nodeId } from '../support/github-fake/render/render.js';

let fake: FakeGitHub;
const kv = new MemoryKeyValueStore();
const settings = {
  owner: null,
  number: 1,
  statusField: 'Status',
  statusMap: { claimed: 'In progress', review: 'In review', done: 'Done' },
  readyStatus: 'Ready',
};
const newSync = (cache = kv) =>
  new ProjectSync({
    client: fakeClient(fake),
    owner: 'acme',
    repo: 'widgets',
    project: settings,
    logger: silentLogger(),
    cache,
  });

beforeAll(async () => {
  fake = await startFakeGitHub({
    seed: {
      repos: [{ owner: 'acme', name: 'widgets', issues: ownerIssues(4) }],
      projects: [
        {
          owner: 'acme',
          number: 1,
          title: 'Costs',
          items: [
            { repo: REPOSITORY, issue: 1, status: 'Ready' },
            { repo: REPOSITORY, issue: 2, status: 'Done' },
          ],
        },
      ],
    },
  });
});
afterAll(async () => {
  await fake.close();
});

const contentOf = (issue: number) => nodeId('Issue', fake.state.repo(REPOSITORY).issues.get(issue)!.id);
const card = (issue: number) => fake.state.projects.statusOf('acme', 1, contentOf(issue));
/** GraphQL requests `run` sends, and what it answers. */
async function requests<T>(run: () => Promise<T>): Promise<{ sent: number; result: T }> {
  fake.resetStats();
  const result = await run();
  return { sent: fake.stats().byRoute['POST /graphql'] ?? 0, result };
}

describe('GitHub Projects: requests per card move and per poll cycle', () => {
  it('a known card moves with one mutation, one already in its column with none, and a restart keeps them', async () => {
    const sync = newSync();
    await sync.resolve();
    // Unknown card: find it (1), move it (1) — what every move cost before the cache.
    expect(await requests(() => sync.move(1, 'claimed'))).toEqual({ sent: 2, result: 'moved' });
    // Not on the project: find (1), add (1), move (1).
    expect(await requests(() => sync.move(3, 'claimed'))).toEqual({ sent: 3, result: 'moved' });
    expect(await requests(() => sync.move(1, 'done'))).toEqual({ sent: 1, result: 'moved' });
    expect(await requests(() => sync.move(1, 'done'))).toEqual({ sent: 0, result: 'unchanged' });
    expect(card(1)).toBe('Done');
    expect(card(3)).toBe('In progress');
    // A new process on the same state: the project's ids (1), then the card is known.
    const restarted = newSync();
    expect(await requests(() => restarted.move(3, 'review'))).toEqual({ sent: 2, result: 'moved' });
    expect(card(3)).toBe('In review');
  });

  it('a card removed from the project is found again and added back after GitHub answers NOT_FOUND', async () => {
    const sync = newSync();
    await sync.resolve();
    const project = fake.state.projects.find('acme', 1)!;
    project.items = project.items.filter((i) => i.contentId !== contentOf(3));
    // The cached item (1, NOT_FOUND), then find (1), add (1), move (1).
    expect(await requests(() => sync.move(3, 'done'))).toEqual({ sent: 4, result: 'moved' });
    expect(card(3)).toBe('Done');
    expect(await requests(() => sync.move(3, 'done'))).toEqual({ sent: 0, result: 'unchanged' });
  });

  it('a poll cycle reads the cards once for the Ready gate and the audit; the read corrects the known cards', async () => {
    const sync = newSync(new MemoryKeyValueStore());
    await sync.resolve();
    const gate = new ReadyGate(sync, 'Ready', silentLogger());
    const mirror = new ProjectMirror(sync, silentLogger());
    const view = { tasks: new Map() } as unknown as LedgerView;
    // Before: the gate's read and the audit's own read of the same cards (one page each).
    const cycle = await requests(async () => {
      await gate.refresh();
      return mirror.audit(view, 3);
    });
    expect(cycle).toEqual({ sent: 1, result: [] });
    expect(gate.reason(1)).not.toBeNull(); // #1 is Done now
    // A person drags #1 back: the next read sees it, so moving it costs one mutation, not a no-op.
    const project = fake.state.projects.find('acme', 1)!;
    const item = project.items.find((i) => i.contentId === contentOf(1))!;
    const field = project.fields.find((f) => f.name === 'Status')!;
    fake.state.projects.setOption(project, item, field, field.options.find((o) => o.name === 'Ready')!.id);
    await gate.refresh();
    expect(gate.reason(1)).toBeNull();
    expect(await requests(() => sync.move(1, 'done'))).toEqual({ sent: 1, result: 'moved' });
    expect(card(1)).toBe('Done');
  });
});
