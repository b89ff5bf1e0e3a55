import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCli } from '../support/cli.js';
import { exitWithin, fastEnv, openTestState, startCli } from '../support/daemons.js';
import { useTempDirs } from '../support/temp-dir.js';

const SERVER = fileURLToPath(new URL('../support/mcp-test-server.mjs', import.meta.url));
const tempDir = useTempDirs();
/** A bound on "never": the run needs a few seconds; a daemon that never idles is stopped. */
const HANG_GUARD_MS = 45_000;

describe('mcp-call tasks on the local board (run --until-idle, real processes)', () => {
  it('calls the tool, keeps its response as the artifact, and fails a task whose tool reports an error', async () => {
    const dir = tempDir();
    const env = fastEnv(dir, { SHARED_STATE_MAX_RETRIES: '0' });
    const dag = join(dir, 'dag.yaml');
    const server = `node ${SERVER}`;
    writeFileSync(
      dag,
      stringify([
        {
          id: 'greet',
          payload: { kind: 'mcp-call', server, tool: 'echo', arguments: { text: 'hello from the tool' } },
        },
        { id: 'after', deps: ['greet'], payload: { kind: 'noop' } },
        {
          id: 'broken',
          payload: {
            kind: 'mcp-call',
            server: ['node', SERVER],
            tool: 'fail',
            arguments: { message: 'quota exceeded' },
          },
        },
      ]),
    );
    expect((await runCli(['tasks', 'seed', dag], { env })).code).toBe(0);
    // The same payload from the command line, validated as a DAG entry is.
    const add = (...args: string[]) =>
      runCli(['tasks', 'add', 'by-cli', '--mcp-server', server, ...args], { env });
    const notJson = await add('--tool', 'echo', '--arguments', '{text: hi}');
    expect(notJson.code).not.toBe(0);
    expect(notJson.stderr).toMatch(/--arguments "\{text: hi\}" is not JSON .*e\.g\. --arguments/);
    expect((await add('--tool', 'echo', '--arguments', '{"text":"from tasks add"}')).code).toBe(0);

    const daemon = startCli(['run', '--until-idle', '--owner', 'w1'], env);
    const ended = await exitWithin(daemon, HANG_GUARD_MS);
    expect(ended, `the daemon never went idle:\n${daemon.output()}`).not.toBe('hung');

    const store = openTestState(dir);
    try {
      const greet = store.get('greet')!;
      expect(greet.state).toBe('done');
      expect(store.get('after')!.state).toBe('done');
      expect(store.get('by-cli')!.state).toBe('done');
      const response = JSON.parse(
        readFileSync(join(dir, 'artifacts', 'greet', String(greet.epoch), 'response.json'), 'utf8'),
      );
      expect(response).toEqual({
        tool: 'echo',
        isError: false,
        content: [{ type: 'text', text: 'hello from the tool' }],
        structuredContent: { echoed: 'hello from the tool' },
      });
      // Out of retries (SHARED_STATE_MAX_RETRIES=0): poisoned, with the tool's own message.
      expect(store.get('broken')).toMatchObject({
        state: 'poisoned',
        lastOutcome: 'failed',
        lastError: 'tool "fail" reported an error: quota exceeded',
      });
    } finally {
      store.close();
    }
    // `logs` shows what the tool said, as it shows a command's output.
    const logs = await runCli(['logs', 'greet'], { env });
    expect(logs.stdout).toContain('hello from the tool');
  });
});
