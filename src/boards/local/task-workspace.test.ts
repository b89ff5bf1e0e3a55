import { afterEach, describe, expect, it } from 'vitest';
import { owner, testState } from '../../../tests/support/state.js';
import { useTempDirs } from '../../../tests/support/temp-dir.js';
import type { SharedState } from '../../state/shared-state.js';
import { DagError, parseDag } from './dag.js';
import { LocalBoard } from './local-board.js';
import { seedTasks } from './seed.js';

const tempDir = useTempDirs();
const open: SharedState[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

const DAG = `
- id: fix
  title: Fix the build
  workspace: true
  payload: { kind: shell, cmd: make }
- id: report
  payload: { kind: shell, cmd: make report }
`;

describe('workspace: true on a local task', () => {
  it('is read from the DAG, and a value other than true or false is a problem naming the field', () => {
    const { tasks } = parseDag(DAG);
    expect(tasks.map((t) => [t.id, t.workspace === true])).toEqual([
      ['fix', true],
      ['report', false],
    ]);
    expect(() => parseDag('- id: a\n  workspace: yes please\n')).toThrow(DagError);
    try {
      parseDag('- id: a\n  workspace: yes please\n', { source: 'dag.yaml' });
    } catch (error) {
      expect((error as DagError).problems).toEqual([
        'dag.yaml:2:14: task "a" field "workspace": expected true or false, got "yes please" (a string)',
      ]);
    }
  });

  it('gives the claimed task its work when worktrees are on, and a payload without the flag to the executor', async () => {
    const t = testState(tempDir());
    open.push(t.state);
    seedTasks(t.state, parseDag(DAG).tasks, { now: t.clock.now() });
    const claimAll = async (worktrees: boolean) => {
      const board = new LocalBoard(t.state, { owner: owner('w'), agent: null, worktrees });
      const signal = new AbortController().signal;
      const claims = [
        await board.claimNext({ purpose: 'any', signal }),
        await board.claimNext({ purpose: 'any', signal }),
      ];
      for (const c of claims) await board.release(c!, 'failed', {}, signal);
      return Object.fromEntries(claims.map((c) => [c!.task.id, c!.task]));
    };
    const on = await claimAll(true);
    expect(on.fix).toEqual({
      id: 'fix',
      title: 'Fix the build',
      agent: null,
      payload: { kind: 'shell', cmd: 'make' },
      work: { key: 'fix', title: 'Fix the build', reference: null, branch: null },
    });
    expect(on.report).not.toHaveProperty('work');
    // WORKSPACE=none: the task runs as any other, in an empty directory.
    t.state.db.prepare("UPDATE tasks SET next_attempt_at = 0, state = 'ready'").run();
    const off = await claimAll(false);
    expect(off.fix).not.toHaveProperty('work');
    expect(off.fix!.payload).toEqual({ kind: 'shell', cmd: 'make' });
  });

  it('changing the flag is a changed definition; the same file again changes nothing', () => {
    const t = testState(tempDir());
    open.push(t.state);
    seedTasks(t.state, parseDag(DAG).tasks, { now: t.clock.now() });
    expect(seedTasks(t.state, parseDag(DAG).tasks, { now: t.clock.now() }).unchanged).toEqual([
      'fix',
      'report',
    ]);
    const flipped = DAG.replace('workspace: true', 'workspace: false');
    expect(seedTasks(t.state, parseDag(flipped).tasks, { now: t.clock.now() }).updated).toEqual(['fix']);
    expect(t.state.get('fix')!.payload).toEqual({ kind: 'shell', cmd: 'make' });
  });
});
