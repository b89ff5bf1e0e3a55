import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { DagError, parseDag, validateTasks } from './dag.js';
import { toBoardTask } from './local-board.js';
import { storedPayload } from './task-workspace.js';

const shell = (cmd: string) => ({ kind: 'shell', cmd });

describe('verify: <agent> on the local board', () => {
  it('adds a verification task run by that capability, and gates dependents behind it', () => {
    const { tasks } = parseDag(
      stringify({
        tasks: [
          { id: 'fix', title: 'Fix it', agent: 'coder', workspace: true, priority: 3, verify: 'reviewer' },
          { id: 'ship', deps: ['fix'] },
          { id: 'doc', verify: { agent: 'reviewer', payload: shell('node check.js') } },
        ],
      }),
    );
    expect(tasks.map((t) => [t.id, t.agent, t.deps])).toEqual([
      ['fix', 'coder', []],
      ['fix.verify', 'reviewer', ['fix']],
      ['ship', null, ['fix.verify']],
      ['doc', null, []],
      ['doc.verify', 'reviewer', ['doc']],
    ]);
    const verify = tasks.find((t) => t.id === 'fix.verify')!;
    expect(verify).toMatchObject({
      title: 'Verify: Fix it',
      priority: 3,
      workspace: true,
      payload: { kind: 'noop' },
      verifies: { id: 'fix', title: 'Fix it' },
    });
    expect(tasks.find((t) => t.id === 'doc.verify')!.payload).toEqual({
      kind: 'shell',
      cmd: 'node check.js',
    });
    expect(tasks.find((t) => t.id === 'fix')).not.toHaveProperty('verify');
  });

  it('points a new task at the board’s verification of a task seeded earlier', () => {
    const { tasks } = validateTasks([{ id: 'later', deps: ['fix', 'plain'] }], {
      knownIds: new Set(['fix', 'fix.verify', 'plain']),
    });
    expect(tasks[0]!.deps).toEqual(['fix.verify', 'plain']);
  });

  it('reports a bad verify, its payload’s problems under verify.payload, and a taken generated id', () => {
    let error: unknown;
    try {
      parseDag(
        stringify([
          { id: 'a', verify: { payload: shell('x') } },
          { id: 'b', verify: { agent: 'r', payload: { kind: 'shell' } } },
          { id: 'c', verify: ['r'] },
          { id: 'd', verify: 'r' },
          { id: 'd.verify' },
        ]),
        { source: 'dag.yaml' },
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DagError);
    const problems = (error as DagError).problems.join('\n');
    expect(problems).toMatch(/task "a" field "verify\.agent": missing/);
    expect(problems).toMatch(/task "b" field "verify\.payload\.cmd"/);
    expect(problems).toMatch(/task "c" field "verify": expected an agent name or \{agent, payload\}/);
    expect(problems).toMatch(/task "d" field "verify": its verification task would be "d\.verify"/);
  });

  it('runs a verification on the verified task’s branch, told what it verifies', () => {
    const { tasks } = parseDag(
      stringify([{ id: 'fix', title: 'Fix it', workspace: true, verify: 'reviewer' }]),
    );
    const verify = tasks[1]!;
    const view = { id: verify.id, title: verify.title, agent: verify.agent, payload: storedPayload(verify) };
    const task = toBoardTask(view as Parameters<typeof toBoardTask>[0], true);
    expect(task.work).toEqual({ key: 'fix', title: 'Fix it', reference: null, branch: null });
    expect(task.env).toEqual({ CODEX_MONITOR_VERIFY_OF: 'fix' });
    expect(task.payload).toEqual({ kind: 'noop' });
    // Without worktrees it still knows what it verifies, and works where tasks without one do.
    expect(toBoardTask(view as Parameters<typeof toBoardTask>[0], false).work).toBeUndefined();
  });
});
