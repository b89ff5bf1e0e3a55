import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { fastEnv } from '../support/daemons.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const EXAMPLE = fileURLToPath(new URL('../../examples/dag.yaml', import.meta.url));

describe('codex-monitor CLI: tasks and status', () => {
  it('seeds the example DAG, lists it, and re-seeding changes nothing', async () => {
    const env = fastEnv(tempDir());
    const first = await runCli(['tasks', 'seed', EXAMPLE], { env });
    expect(first.stdout).toMatch(/8 added, 0 updated/);
    const again = await runCli(['tasks', 'seed', EXAMPLE, '--json'], { env });
    expect(JSON.parse(again.stdout)).toMatchObject({
      added: [],
      unchanged: expect.arrayContaining(['setup', 'publish']),
    });
    const codex = JSON.parse((await runCli(['tasks', 'ls', '--agent', 'codex', '--json'], { env })).stdout);
    expect(codex.map((t: { id: string }) => t.id)).toEqual(['smoke:noop-codex']);
    const added = await runCli(
      ['tasks', 'add', 'extra', '--deps', 'setup', '--shell', 'echo hi', '--timeout', '10s'],
      { env },
    );
    expect(added.stdout).toBe('Added extra (shell).\n');
    const dup = await runCli(['tasks', 'add', 'extra'], { env });
    expect(dup.code).toBe(2);
    expect(dup.stderr).toMatch(/already exists/);
  });

  it('reports status as JSON and as a markdown file', async () => {
    const dir = tempDir();
    const env = fastEnv(dir);
    await runCli(['tasks', 'seed', EXAMPLE], { env });
    await runCli(['ignore', 'lint', '--reason', 'flaky linter'], { env });
    const file = join(dir, 'status.md');
    const json = JSON.parse((await runCli(['status', '--json', '--write', file], { env })).stdout);
    // Five of the eight wait on a dependency not done: blocked, not ready (issue 13).
    expect(json.totals).toMatchObject({ ready: 3, blocked: 5, done: 0, ignored: 1 });
    expect(json.blocked).toEqual(expect.arrayContaining([{ id: 'lint', waitingOn: ['setup'] }]));
    expect(json.ignored).toEqual([{ id: 'lint', reason: 'flaky linter' }]);
    const markdown = readFileSync(file, 'utf8');
    expect(markdown).toMatch(/^# codex-monitor status/);
    expect(markdown).toMatch(/\| lint \| flaky linter \|/);
    expect(markdown).toMatch(/## Running\n\nNone\./);
  });
});
