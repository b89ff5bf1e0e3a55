import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../core/duration.js';
import { InputError } from '../../core/errors.js';
import { findCycles } from './cycles.js';
import { DagError, type DagOptions, parseDag, validateTasks } from './dag.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../../tests/fixtures/dags/${name}`, import.meta.url), 'utf8');

/** The problems of a DAG that must not parse. */
function problems(text: string, options: DagOptions = {}): readonly string[] {
  try {
    parseDag(text, options);
  } catch (error) {
    expect(error).toBeInstanceOf(DagError);
    return (error as DagError).problems;
  }
  throw new Error('expected the DAG to be refused');
}

describe('parseDag: accepted files', () => {
  it('reads a file written for the original agentmux unchanged, warning about extra keys', () => {
    const { tasks, warnings } = parseDag(fixture('original.yaml'), { source: 'original.yaml' });
    expect(tasks).toEqual([
      {
        id: 'smoke:noop-codex',
        title: 'Smoke test noop (codex)',
        agent: 'codex',
        deps: [],
        priority: 0,
        payload: { kind: 'noop' },
      },
      {
        id: 'write:1-gemini',
        title: 'Gemini writes line 1',
        agent: 'gemini',
        deps: ['smoke:noop-codex'],
        priority: 0,
        payload: { kind: 'shell', cmd: './bin/gemini.sh --file artifacts/text/test.txt' },
      },
    ]);
    expect(warnings).toEqual([
      'original.yaml:12:18: task "write:1-gemini" field "description": not a known field; ignored',
      'original.yaml:13:11: task "write:1-gemini" field "tags": not a known field; ignored',
      'original.yaml:18:17: task "write:1-gemini" field "payload.repoPath": not a known field of a shell payload; ignored',
    ]);
  });

  it('applies title/name precedence, number ids, priorities, durations and command lists', () => {
    const { tasks, warnings } = parseDag(fixture('features.yaml'), { source: 'features.yaml' });
    expect(tasks.map((t) => [t.id, t.title, t.agent, t.deps, t.priority])).toEqual([
      ['1', 'Prepare', null, [], 0],
      ['build', 'Build it', 'codex', ['1'], 5],
      ['test', 'Run the tests', null, ['build', '1'], -1],
      ['report', 'report', null, [], 0],
    ]);
    expect(tasks.map((t) => t.payload)).toEqual([
      { kind: 'noop', durationMs: 1_500 },
      { kind: 'shell', cmd: ['make', '-j', '4'], timeoutMs: 300_000 },
      { kind: 'shell', cmd: 'npm test', timeoutMs: 500 },
      { kind: 'noop', durationMs: 7_200_000 },
    ]);
    expect(warnings).toEqual([
      'features.yaml:5:3: task "build": both "title" and "name" given; using "title"',
    ]);
  });

  it('treats empty values as absent and accepts an empty list', () => {
    const { tasks } = parseDag('- id: a\n  name:\n  agent:\n  deps:\n  priority:\n  payload:\n');
    expect(tasks).toEqual([
      { id: 'a', title: 'a', agent: null, deps: [], priority: 0, payload: { kind: 'noop' } },
    ]);
    expect(parseDag('[]')).toEqual({ tasks: [], warnings: [] });
  });

  it('accepts deps on tasks already on the board, and only those', () => {
    const text = '- id: b\n  deps: [a]\n';
    expect(parseDag(text, { knownIds: new Set(['a']) }).tasks[0]!.deps).toEqual(['a']);
    expect(problems(text, { knownIds: new Set(['z']) })).toEqual([
      'line 2, column 10: task "b" field "deps[0]": unknown task "a"',
    ]);
  });

  it('counts a repeated dep once, with a warning', () => {
    const { tasks, warnings } = parseDag('- id: a\n- id: b\n  deps: [a, a]\n');
    expect(tasks[1]!.deps).toEqual(['a']);
    expect(warnings).toEqual(['line 3, column 13: task "b" field "deps[1]": "a" listed twice; counted once']);
  });

  it('warns about unknown top-level keys beside "tasks"', () => {
    const { warnings } = parseDag('version: 2\ntasks:\n  - id: a\n');
    expect(warnings).toEqual(['unknown top-level field "version" ignored']);
  });
});

describe('durations', () => {
  it.each([
    [30, 30_000],
    [1.5, 1_500],
    [0, 0],
    ['500ms', 500],
    ['2s', 2_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1.5 s', 1_500],
    ['30', 30_000],
  ])('%j is %i ms', (value, ms) => {
    expect(parseDuration(value)).toEqual({ ms });
  });

  it.each(['5 minutes', '1y', '-1s', '', 's', -1, Number.NaN])('refuses %j', (value) => {
    expect(parseDuration(value)).toEqual({ problem: expect.stringContaining('bad duration') });
  });

  it('refuses a zero timeout but not a zero noop duration', () => {
    const text =
      '- id: a\n  payload: { kind: shell, cmd: ls, timeout: 0 }\n- id: b\n  payload: { kind: noop, duration: 0 }\n';
    expect(problems(text)).toEqual(['line 2, column 45: task "a" field "payload.timeout": must be above 0']);
  });
});

describe('parseDag: refused files', () => {
  it('reports every problem at once, each naming the task (or index) and the field', () => {
    const error = (() => {
      try {
        parseDag(fixture('many-errors.yaml'), { source: 'many-errors.yaml' });
      } catch (e) {
        return e as DagError;
      }
    })();
    expect(error).toBeInstanceOf(InputError);
    expect(error?.code).toBe('INPUT_INVALID');
    const expected = [
      'many-errors.yaml:2:13: task "build" field "priority": expected an integer, got "high" (a string)',
      'many-errors.yaml:5:11: task "build" field "payload.kind": unknown kind "docker"; known kinds: noop, shell, mcp-call',
      'many-errors.yaml:3:10: task "build" field "deps[0]": unknown task "lint"',
      'many-errors.yaml:6:3: task at index 1 field "id": missing; every task needs a unique id',
      'many-errors.yaml:9:5: task "build" field "payload.cmd": missing; a shell payload needs "cmd": a command line or a list of words',
      'many-errors.yaml:10:14: task "build" field "payload.timeout": bad duration "5 minutes"; use seconds (30) or a number with a unit: 500ms, 2s, 5m, 1h',
      'many-errors.yaml:7:7: task "build" field "id": duplicate id, also used by the task at index 0 (line 1)',
      'many-errors.yaml:11:7: task at index 3 field "id": empty; a task id must be a non-empty string or a number',
      'many-errors.yaml:12:3: task at index 4: expected a mapping with at least an "id", got "just a string" (a string)',
    ];
    expect(error?.problems).toEqual(expected);
    expect(error?.message).toBe(
      `Invalid task DAG many-errors.yaml (9 problems):\n${expected.map((p) => `  - ${p}`).join('\n')}`,
    );
  });

  it('names a 3-cycle once and a self-dependency as a cycle', () => {
    expect(problems(fixture('cycles.yaml'), { source: 'cycles.yaml' })).toEqual([
      'cycles.yaml:2:10: task "a" field "deps[0]": dependency cycle a → b → c → a',
      'cycles.yaml:8:14: task "self" field "deps[1]": dependency cycle self → self',
    ]);
  });

  it('reports YAML syntax errors with line and column', () => {
    expect(problems(fixture('syntax-error.yaml'), { source: 'syntax-error.yaml' })).toEqual([
      'syntax-error.yaml:4:1: YAML syntax error: Missing closing "quote',
    ]);
    expect(problems('- id: a\n  id: b\n')).toEqual([
      'line 2, column 3: YAML syntax error: Map keys must be unique',
    ]);
  });

  it.each([
    ['foo: 1\n', 'expected a list of tasks (or a mapping with a "tasks" list), got a mapping'],
    ['', 'expected a list of tasks (or a mapping with a "tasks" list), got nothing'],
    [
      'just text\n',
      'expected a list of tasks (or a mapping with a "tasks" list), got "just text" (a string)',
    ],
    ['tasks: 3\n', '"tasks" must be a list, got 3 (a number)'],
  ])('refuses a file that is not a list of tasks: %j', (text, message) => {
    expect(problems(text, { source: 'x.yaml' })).toEqual([`x.yaml: ${message}`]);
  });

  it('refuses wrong types field by field', () => {
    const entries = [
      { id: ['x'] },
      { id: 'a', title: ['t'], agent: '', deps: 'b', priority: 1.5 },
      { id: 'b', deps: [{ x: 1 }], payload: 'noop' },
      { id: 'c', payload: { duration: 1 } },
      { id: 'd', payload: { kind: 'shell', cmd: [] } },
      { id: 'e', payload: { kind: 'shell', cmd: ['ls', true], timeout: [1] } },
      { id: 'f', payload: { kind: 7 } },
      { id: 'g\u001fh' },
    ];
    let caught: DagError | undefined;
    try {
      validateTasks(entries);
    } catch (e) {
      caught = e as DagError;
    }
    expect(caught?.problems).toEqual([
      'task at index 0 field "id": expected a string or a number, got a list',
      'task "a" field "title": expected a non-empty string, got a list',
      'task "a" field "agent": expected a non-empty string, got "" (a string)',
      'task "a" field "priority": expected an integer, got 1.5 (a number)',
      'task "a" field "deps": expected a list of task ids, got "b" (a string)',
      'task "b" field "deps[0]": expected a string or a number, got a mapping',
      'task "b" field "payload": expected a mapping with a "kind" (known kinds: noop, shell, mcp-call), got "noop" (a string)',
      'task "c" field "payload.kind": missing; known kinds: noop, shell, mcp-call',
      'task "d" field "payload.cmd": expected a non-empty string or list of strings, got a list',
      'task "e" field "payload.cmd[1]": expected a string, got true (a boolean)',
      'task "e" field "payload.timeout": expected a duration, got a list; use seconds (30) or a number with a unit: 500ms, 2s, 5m, 1h',
      'task "f" field "payload.kind": expected a string, got 7 (a number); known kinds: noop, shell, mcp-call',
      'task at index 7 field "id": must not contain control characters',
    ]);
  });
});

describe('findCycles', () => {
  it('reports each cycle once, starting at its earliest member, and skips unknown deps', () => {
    const graph = new Map([
      ['a', ['b', 'missing']],
      ['b', ['a', 'c']],
      ['c', ['b']],
      ['d', ['d']],
      ['e', []],
    ]);
    expect(findCycles(graph)).toEqual([
      { taskId: 'a', depIndex: 0, members: ['a', 'b'] },
      { taskId: 'b', depIndex: 1, members: ['b', 'c'] },
      { taskId: 'd', depIndex: 0, members: ['d'] },
    ]);
  });

  it('walks a long chain without overflowing the stack', () => {
    const n = 50_000;
    const graph = new Map(Array.from({ length: n }, (_, i) => [`t${i}`, i + 1 < n ? [`t${i + 1}`] : ['t0']]));
    const [cycle] = findCycles(graph);
    expect(cycle?.members).toHaveLength(n);
  });
});
