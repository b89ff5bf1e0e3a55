import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { owner, testState } from '../../../tests/support/state.js';
import { useTempDirs } from '../../../tests/support/temp-dir.js';
import { InputError } from '../../core/errors.js';
import type { SharedState } from '../../state/shared-state.js';
import { type DagTask, parseDag } from './dag.js';
import { addTask, seedTasks } from './seed.js';

const tempDir = useTempDirs();
const open: SharedState[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

function setup() {
  const t = testState(tempDir());
  open.push(t.state);
  return { ...t, now: () => t.clock.now() };
}

const dag = (text: string, knownIds?: string[]) => parseDag(text, { knownIds: new Set(knownIds) }).tasks;
const fixture = (name: string) =>
  readFileSync(new URL(`../../../tests/fixtures/dags/${name}`, import.meta.url), 'utf8');

function counts(store: SharedState) {
  return store.db
    .prepare(
      `SELECT (SELECT COUNT(*) FROM tasks) AS tasks, (SELECT COUNT(*) FROM task_deps) AS deps,
              (SELECT COUNT(*) FROM events) AS events, (SELECT MAX(updated_at) FROM tasks) AS updated`,
    )
    .get();
}

function complete(store: SharedState, id: string) {
  const claim = store.claim(id, owner('w'));
  if (!claim.ok) throw new Error(`claim refused: ${claim.detail}`);
  expect(store.release(claim.ticket, 'complete').ok).toBe(true);
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('seedTasks', () => {
  it('inserts new tasks ready, with their definition, deps and one seeded event', () => {
    const { state: store, now } = setup();
    const tasks = parseDag(fixture('features.yaml')).tasks;
    const report = seedTasks(store, tasks, { now: now(), source: 'features.yaml' });
    expect(report).toEqual({
      added: ['1', 'build', 'test', 'report'],
      updated: [],
      unchanged: [],
      finishedLeftAlone: [],
      notInFile: [],
    });
    expect(store.get('build')).toMatchObject({
      source: 'local',
      state: 'ready',
      title: 'Build it',
      agent: 'codex',
      priority: 5,
      payload: { kind: 'shell', cmd: ['make', '-j', '4'], timeoutMs: 300_000 },
      deps: ['1'],
      createdAt: now(),
      updatedAt: now(),
      epoch: 0,
    });
    expect(store.get('test')?.deps).toEqual(['1', 'build']);
    const events = store.events.query({ types: ['seeded'] });
    expect(events.map((e) => e.data)).toEqual([
      { added: 4, updated: 0, unchanged: 0, finishedLeftAlone: 0, notInFile: 0, source: 'features.yaml' },
    ]);
  });

  it('inserts in file order, so equal priorities run in file order', () => {
    const { state: store, now } = setup();
    seedTasks(store, dag('- id: zeta\n- id: alpha\n- id: top\n  priority: 1\n- id: mid\n'), { now: now() });
    const rowids = store.db.prepare('SELECT id FROM tasks ORDER BY rowid').pluck().all();
    expect(rowids).toEqual(['zeta', 'alpha', 'top', 'mid']);
    const scheduled = store.db
      .prepare('SELECT id FROM tasks ORDER BY priority DESC, created_at, rowid')
      .pluck()
      .all();
    expect(scheduled).toEqual(['top', 'zeta', 'alpha', 'mid']);
  });

  it('re-seeding updates changed unfinished tasks, leaves done ones and tasks not in the file alone', () => {
    const { state: store, clock, now } = setup();
    const first = 'tasks:\n- id: a\n- id: b\n  deps: [a]\n- id: c\n- id: d\n- id: gone\n';
    seedTasks(store, dag(first), { now: now() });
    complete(store, 'a');
    clock.advance(1_000);
    const second = dag(
      '- id: a\n  title: renamed but done\n- id: b\n  title: B\n  deps: [c]\n- id: c\n- id: d\n  priority: 2\n- id: new\n',
    );
    const report = seedTasks(store, second, { now: now(), source: 'second.yaml' });
    expect(report).toEqual({
      added: ['new'],
      updated: ['b', 'd'],
      unchanged: ['c'],
      finishedLeftAlone: ['a'],
      notInFile: ['gone'],
    });
    expect(store.get('a')).toMatchObject({ title: 'a', state: 'done' });
    expect(store.get('b')).toMatchObject({ title: 'B', deps: ['c'], updatedAt: now() });
    expect(store.get('c')?.updatedAt).toBe(now() - 1_000);
    expect(store.get('d')?.priority).toBe(2);
    expect(store.get('gone')).toMatchObject({ state: 'ready' });
    expect(store.events.query({ types: ['seeded'] }).at(-1)?.data).toEqual({
      added: 1,
      updated: 2,
      unchanged: 1,
      finishedLeftAlone: 1,
      notInFile: 1,
      source: 'second.yaml',
    });
  });

  it('re-seeding the same file changes nothing, payloads included', () => {
    const { state: store, clock, now } = setup();
    const tasks = parseDag(fixture('features.yaml')).tasks;
    seedTasks(store, tasks, { now: now() });
    clock.advance(5_000);
    const before = counts(store);
    const report = seedTasks(store, parseDag(fixture('features.yaml')).tasks, { now: now() });
    expect(report.unchanged).toEqual(['1', 'build', 'test', 'report']);
    expect(report.updated).toEqual([]);
    expect(counts(store)).toEqual({
      ...(before as object),
      events: (before as { events: number }).events + 1,
    });
  });

  it('keeps the claim of a task whose definition changes while it is held', () => {
    const { state: store, clock, now } = setup();
    seedTasks(store, dag('- id: a\n'), { now: now() });
    const claim = store.claim('a', owner('worker'));
    if (!claim.ok) throw new Error(claim.detail);
    clock.advance(500);
    const report = seedTasks(store, dag('- id: a\n  payload: { kind: noop, duration: 3s }\n'), {
      now: now(),
    });
    expect(report.updated).toEqual(['a']);
    expect(store.get('a')).toMatchObject({
      state: 'claimed',
      ownerId: 'worker',
      epoch: claim.ticket.epoch,
      attempt: claim.ticket.attempt,
      claimedAt: claim.ticket.claimedAt,
      payload: { kind: 'noop', durationMs: 3_000 },
    });
    expect(store.renew(claim.ticket).ok).toBe(true); // the token still proves the claim
  });

  it('refuses a cycle through tasks already on the board, writing nothing', () => {
    const { state: store, now } = setup();
    seedTasks(store, dag('- id: a\n  deps: [b]\n- id: b\n'), { now: now() });
    const before = counts(store);
    const error = thrown(() =>
      seedTasks(store, dag('- id: b\n  deps: [a]\n- id: c\n', ['a']), { now: now() + 1 }),
    );
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      'Cannot seed the board (1 problem):\n  - task "b" field "deps[0]": dependency cycle b → a → b',
    );
    expect(counts(store)).toEqual(before);
    expect(store.get('c')).toBeUndefined();
  });

  it('checks cycles against the deps a done task keeps, not the file', () => {
    const { state: store, now } = setup();
    seedTasks(store, dag('- id: x\n  deps: [y]\n- id: y\n'), { now: now() });
    complete(store, 'y');
    complete(store, 'x');
    expect(store.reset('y', { includeDone: true })).toBe(true); // y is to run again, x is not
    const error = thrown(() => seedTasks(store, dag('- id: x\n- id: y\n  deps: [x]\n'), { now: now() }));
    expect(error.message).toContain('task "x" field "deps[0]": dependency cycle x → y → x');
  });

  it('refuses unknown deps and ids taken by another source, all at once', () => {
    const { state: store, now } = setup();
    expect(store.claim('42', owner('gh'), { create: true, source: 'github' }).ok).toBe(true);
    const before = counts(store);
    const tasks: DagTask[] = [
      { id: '42', title: 'x', agent: null, deps: [], priority: 0, payload: { kind: 'noop' } },
      { id: 'b', title: 'b', agent: null, deps: ['nowhere'], priority: 0, payload: { kind: 'noop' } },
    ];
    const error = thrown(() => seedTasks(store, tasks, { now: now() }));
    expect(error.message.split('\n').slice(1)).toEqual([
      '  - task "42": the id is taken by a task from github; choose another id',
      '  - task "b" field "deps[0]": unknown task "nowhere"',
    ]);
    expect(counts(store)).toEqual(before);
  });
});

describe('addTask', () => {
  it('adds one task whose deps are on the board, as a seed of one', () => {
    const { state: store, now } = setup();
    seedTasks(store, dag('- id: a\n'), { now: now() });
    const { task, warnings } = addTask(
      store,
      { id: 'b', name: 'B', deps: ['a'], payload: { kind: 'shell', cmd: 'make', timeout: '2m' }, note: 1 },
      { now: now(), source: 'tasks add' },
    );
    expect(task.payload).toEqual({ kind: 'shell', cmd: 'make', timeoutMs: 120_000 });
    expect(warnings).toEqual(['task "b" field "note": not a known field; ignored']);
    expect(store.get('b')).toMatchObject({ title: 'B', state: 'ready', deps: ['a'], source: 'local' });
    expect(store.events.query({ types: ['seeded'] }).at(-1)?.data).toMatchObject({
      added: 1,
      source: 'tasks add',
    });
  });

  it('refuses an existing id, an unknown dep, a self-dependency and bad fields, writing nothing', () => {
    const { state: store, now } = setup();
    seedTasks(store, dag('- id: a\n'), { now: now() });
    const before = counts(store);
    const add = (input: unknown) => thrown(() => addTask(store, input, { now: now() })).message;
    expect(add({ id: 'a' })).toBe(
      'task "a" already exists on the board (ready); choose another id, or change its definition in the DAG file and seed again',
    );
    expect(add({ id: 'b', deps: ['zzz'] })).toContain('task "b" field "deps[0]": unknown task "zzz"');
    expect(add({ id: 'b', deps: ['b'] })).toContain('task "b" field "deps[0]": dependency cycle b → b');
    expect(add({ id: 'b', payload: { kind: 'shell' } })).toContain('task "b" field "payload.cmd": missing');
    expect(counts(store)).toEqual(before);
  });
});
