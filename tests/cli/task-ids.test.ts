/**
 * Task ids and titles that reach paths and environments, through the real CLI: ids are checked
 * at the door with a clear error, and whatever id an older board holds (or GitHub gives), its
 * artifacts stay inside the artifacts folder in a name the file system accepts.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { seedTasks } from '../../src/boards/local/seed.js';
import { taskDirName } from '../../src/core/safe-path.js';
import { runCli } from '../support/cli.js';
import { fastEnv, openTestState } from '../support/daemons.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();

describe('task ids at the door', () => {
  it('a DAG with "..", "." or a 300-character id is refused, naming each id and the rule; nothing is written', async () => {
    const dir = tempDir();
    const file = join(dir, 'dag.yaml');
    writeFileSync(file, stringify([{ id: '..' }, { id: '.' }, { id: 'x'.repeat(300) }, { id: 'fine' }]));
    const env = fastEnv(join(dir, 'state'));
    const seeded = await runCli(['tasks', 'seed', file], { env });
    expect(seeded.code).toBe(2);
    expect(seeded.stderr).toMatch(
      /"\.\." is not a valid task id: use letters, digits and \. _ - : \/ # @ \+/,
    );
    expect(seeded.stderr).toMatch(/"\." is not a valid task id/);
    expect(seeded.stderr).toMatch(/is 300 characters long; a task id has at most 200/);
    expect(seeded.stderr).not.toMatch(/\n\s+at /);
    const ls = await runCli(['tasks', 'ls', '--json'], { env });
    expect(JSON.parse(ls.stdout)).toEqual([]);
  });

  it('tasks add refuses an id that would escape the artifacts folder', async () => {
    const env = fastEnv(join(tempDir(), 'state'));
    const added = await runCli(['tasks', 'add', '..'], { env });
    expect(added.code).toBe(2);
    expect(added.stderr).toMatch(/"\.\." is not a valid task id/);
  });
});

describe('paths derived from ids', () => {
  it('ids already on a board (.., 300 characters) run with artifacts inside the artifacts folder', async () => {
    const dir = tempDir();
    const stateDir = join(dir, 'state');
    mkdirSync(stateDir, { recursive: true });
    const long = 'x'.repeat(300);
    // Seeded around the door, as a board from before the check (or a future source) might hold.
    const store = openTestState(stateDir);
    try {
      const task = (id: string) => ({
        id,
        title: id,
        agent: null,
        deps: [],
        priority: 0,
        payload: { kind: 'noop' as const },
      });
      seedTasks(store, [task('..'), task(long)], { now: Date.now(), source: 'test' });
    } finally {
      store.close();
    }
    const env = fastEnv(stateDir);
    const run = await runCli(['run', '--until-idle'], { env });
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    const json = JSON.parse((await runCli(['tasks', 'ls', '--json'], { env })).stdout) as {
      id: string;
      state: string;
    }[];
    expect(json.map((t) => t.state)).toEqual(['done', 'done']);
    expect(existsSync(join(stateDir, 'artifacts', '%2E%2E', '1', 'result.json'))).toBe(true);
    expect(existsSync(join(stateDir, 'artifacts', taskDirName(long), '1', 'result.json'))).toBe(true);
    expect(existsSync(join(stateDir, '1'))).toBe(false); // artifacts/../1 would have been here
  });
});
