/**
 * The project mirror against the fake's GraphQL (real HTTP, the documents validated by the fake
 * against GitHub's schema): ids looked up once, cards found or added, moves skipped when the card
 * is already there, missing options left alone, ids looked up again when GitHub says one is gone,
 * and the Ready column read page by page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubClient } from '../../src/boards/github/http/index.js';
import type { LedgerView, TaskRecord } from '../../src/boards/github/ledger/index.js';
import {
  ProjectError,
  ProjectMirror,
  type ProjectSettings,
  ProjectSync,
  ReadyGate,
} from '../../src/boards/github/project/index.js';
import { silentLogger } from '../../src/core/logger.js';
import { MemoryKeyValueStore } from '../../src/state/kv-store.js';
import { type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';
import { nodeId } from '../support/github-fake/render/render.js';

let fake: FakeGitHub;
const ISSUES = 130; // more than one page of cards (100)
const client = () =>
  createGitHubClient({
    baseUrl: fake.url,
    token: 'test-token',
    etags: new MemoryKeyValueStore(),
    logger: silentLogger(),
    pacing: false,
    waitUnitMs: 1,
  });
const settings = (over: Partial<ProjectSettings> = {}): ProjectSettings => ({
  owner: null,
  number: 1,
  statusField: 'Status',
  statusMap: { claimed: 'In progress', review: 'In review', done: 'Done', poisoned: 'Blocked' },
  readyStatus: undefined,
  ...over,
});
const sync = (over: Partial<ProjectSettings> = {}) =>
  new ProjectSync({
    client: client(),
    owner: 'acme',
    repo: 'widgets',
    project: settings(over),
    logger: silentLogger(),
  });
/** The GraphQL requests the fake served since `from`. */
const graphqlCalls = () => fake.stats().byRoute['POST /graphql'] ?? 0;
const cardOf = (issue: number, number = 1) =>
  fake.state.projects.statusOf(
    'acme',
    number,
    nodeId('Issue', fake.state.repo('acme/widgets').issues.get(issue)!.id),
  );

beforeAll(async () => {
  fake = await startFakeGitHub({
    seed: {
      repos: [
        {
          owner: 'acme',
          name: 'widgets',
          issues: Array.from({ length: ISSUES }, (_, i) => ({ number: i + 1, title: `issue ${i + 1}` })),
        },
      ],
      projects: [
        {
          owner: 'acme',
          number: 1,
          items: [
            { repo: 'acme/widgets', issue: 1, status: 'Todo' },
            ...Array.from({ length: ISSUES - 10 }, (_, i) => ({
              repo: 'acme/widgets',
              issue: i + 11,
              status: i % 2 === 0 ? 'Ready' : 'Todo',
            })),
          ],
        },
        {
          owner: 'acme',
          number: 2,
          fields: [{ name: 'Status', options: ['Todo', 'Done'] }, { name: 'Notes' }],
        },
      ],
    },
  });
});
afterAll(async () => {
  await fake.close();
});

describe('ProjectSync', () => {
  it('moves a card it finds, skips a move to where the card already is, and looks ids up once', async () => {
    const project = sync();
    const before = graphqlCalls();
    expect(await project.move(1, 'claimed')).toBe('moved');
    expect(cardOf(1)).toBe('In progress');
    expect(await project.move(1, 'claimed')).toBe('unchanged');
    expect(await project.move(1, 'done')).toBe('moved');
    expect(cardOf(1)).toBe('Done');
    // 1 lookup + (read, set) + nothing + set: the ids are not looked up again, and the card is
    // known once found (project-cost.test.ts counts each case).
    expect(graphqlCalls() - before).toBe(4);
  });

  it('adds an issue that is not on the project yet, once, then moves its card', async () => {
    const project = sync();
    expect(cardOf(2)).toBeUndefined();
    expect(await project.move(2, 'review')).toBe('moved');
    expect(cardOf(2)).toBe('In review');
    expect(await project.move(2, 'review')).toBe('unchanged');
    const id = nodeId('Issue', fake.state.repo('acme/widgets').issues.get(2)!.id);
    expect(fake.state.projects.movesOf(id)).toEqual(['In review']);
  });

  it('leaves the card alone for a state mapped to nothing, or to an option the project lacks', async () => {
    const project = sync({ number: 2, statusMap: { claimed: 'In progress', done: 'Done' } });
    expect(await project.move(3, 'poisoned')).toBe('unmapped');
    expect(await project.move(3, 'claimed')).toBe('no-option');
    expect(cardOf(3, 2)).toBeUndefined(); // never added, no option created
    expect(await project.move(3, 'done')).toBe('moved');
    expect(cardOf(3, 2)).toBe('Done');
  });

  it('an issue GitHub cannot find (transferred, a pull request) fails its move, not the project ids', async () => {
    const project = sync();
    await project.resolve();
    const before = graphqlCalls();
    const error = await project.move(ISSUES + 5, 'claimed').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProjectError);
    expect((error as ProjectError).message).toMatch(/Could not resolve to an Issue with the number of 135/);
    expect((error as ProjectError).notFound).toBe(false);
    expect(await project.move(1, 'done')).toBe('unchanged'); // ids still cached: one read
    expect(graphqlCalls() - before).toBe(2);
  });

  it('names what is wrong: an unknown project, a missing field, a field that is not single-select', async () => {
    await expect(sync({ number: 9 }).resolve()).rejects.toThrow(/ProjectV2 with the number 9/);
    await expect(sync({ owner: 'nobody' }).resolve()).rejects.toThrow(/no project 1 of nobody/);
    await expect(sync({ statusField: 'Stage' }).resolve()).rejects.toThrow(
      /PROJECT_STATUS_FIELD="Stage": the project "Project 1" has no such field/,
    );
    await expect(sync({ number: 2, statusField: 'Notes' }).resolve()).rejects.toThrow(/not single-select/);
    const error = await sync({ number: 9 })
      .resolve()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProjectError);
    expect((error as ProjectError).notFound).toBe(true);
  });

  it('looks the ids up again when GitHub says the project is gone (recreated)', async () => {
    const project = sync({ number: 3 });
    fake.seed({ repos: [], projects: [{ owner: 'acme', number: 3 }] });
    expect(await project.move(4, 'claimed')).toBe('moved');
    fake.seed({ repos: [], projects: [{ owner: 'acme', number: 3 }] }); // new ids
    await expect(project.move(4, 'done')).rejects.toThrow(/Could not resolve to a node with the global id/);
    expect(await project.move(4, 'done')).toBe('moved');
    expect(cardOf(4, 3)).toBe('Done');
  });

  it('reads every page of cards for the Ready gate', async () => {
    const gate = new ReadyGate(sync(), 'Ready', silentLogger());
    expect(gate.reason(11)).toMatch(/not been read/);
    await gate.refresh();
    expect(gate.reason(11)).toBeNull();
    expect(gate.reason(12)).toBe("not in the project's Ready column");
    expect(gate.reason(ISSUES - 1)).toBeNull(); // on the second page
    expect(gate.reason(5)).toBe("not in the project's Ready column"); // not on the project
    const missing = new ReadyGate(sync({ number: 2 }), 'Ready', silentLogger());
    await missing.refresh();
    expect(missing.reason(11)).toBe('the project has no "Ready" column (PROJECT_READY_STATUS)');
  });

  it('a failed move is a warning and is marked for the reconciler, never thrown', async () => {
    const mirror = new ProjectMirror(sync({ number: 9 }), silentLogger());
    await mirror.show(5, 'working', null);
    expect(mirror.pending(5)).toBe(true);
    const fine = new ProjectMirror(sync(), silentLogger());
    await fine.show(5, 'failed', null);
    expect(fine.pending(5)).toBe(false);
    expect(cardOf(5)).toBe('Blocked');
    await fine.show(5, null, null); // released for a retry: the card stays
    expect(cardOf(5)).toBe('Blocked');
  });

  it('audits the cards on the project: one in a column the ledger disagrees with is marked for repair', async () => {
    let now = 0;
    const mirror = new ProjectMirror(sync(), silentLogger(), () => now);
    const release: TaskRecord = {
      v: 1,
      kind: 'release',
      issue: 11,
      owner: 'ws1/codex',
      attempt: 'a1',
      epoch: 2,
      retries: 0,
      at: '2026-11-29T00:00:00.000Z',
      outcome: 'complete',
    };
    const task = (issue: number, record: TaskRecord) => ({
      issue,
      sha: `sha${issue}`,
      record,
      state: 'done' as const,
      holder: record.owner,
      epoch: record.epoch,
      retries: 0,
      mine: false,
      waitMs: null,
      detail: '',
    });
    const view: LedgerView = {
      // #11's card is in Ready but the ledger says done; #13 (Ready) says done too but is moved
      // below first, so it agrees; #12 has no ledger chain: its card is the team's to place.
      tasks: new Map([
        [11, task(11, release)],
        [13, task(13, { ...release, issue: 13 })],
      ]),
      owners: new Map(),
      refreshedAt: 0,
    };
    await sync().move(13, 'done');
    expect(await mirror.audit(view, 3)).toEqual([11]);
    expect(mirror.pending(11)).toBe(true);
    expect(mirror.pending(12)).toBe(false);
    now += 60_000;
    expect(await mirror.audit(view, 3)).toEqual([]); // one read every few minutes, not every cycle
    await mirror.show(11, 'done', null); // the reconciler's repair lands
    expect(mirror.pending(11)).toBe(false);
    expect(cardOf(11)).toBe('Done');
  });
});
