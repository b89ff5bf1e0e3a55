import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { owner, testState } from '../../../tests/support/state.js';
import { useTempDirs } from '../../../tests/support/temp-dir.js';
import { taskDirName } from '../../core/safe-path.js';
import { type RunningServer, startServer } from '../../serve/server.js';
import { readTail } from '../logs/log-tail.js';
import { logSource } from './dashboard-routes.js';
import { serveSources } from './serve-sources.js';

const tempDir = useTempDirs();
const servers: RunningServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

const HOSTILE = '<script>alert(1)</script>';

/** A store whose task `run` is claimed and has written a log here, and `quiet` exists without one. */
async function withLog() {
  const dir = tempDir();
  const { state, clock } = testState(dir);
  for (const id of ['run', 'quiet'])
    state.defineTask(id, { source: 'local', title: id, agent: null, priority: 0 });
  const claim = state.claim('run', owner('ws/codex'));
  if (!claim.ok) throw new Error(claim.detail);
  const attemptDir = join(dir, 'artifacts', taskDirName('run'), String(claim.ticket.epoch));
  mkdirSync(attemptDir, { recursive: true });
  const lines = Array.from({ length: 250 }, (_, i) => `line ${i + 1}`);
  // The agent's output: colours, a title-setting OSC and hostile HTML, all on the last line.
  lines.push(`\u001b[31mred\u001b[0m \u001b]0;pwned\u0007${HOSTILE}`);
  writeFileSync(join(attemptDir, 'stdout.log'), `${lines.join('\n')}\n`);
  writeFileSync(join(attemptDir, 'stderr.log'), 'warning: <b>careful</b>\n');
  const steer = async () => {
    throw new Error('no steering here');
  };
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    token: undefined,
    allowActions: false,
    sources: serveSources({ store: state, fleet: null, clock, steer }),
    routes: { logs: logSource({ stateDir: dir, ownerId: 'ws/codex' }, state) },
  });
  servers.push(server);
  return { server, state };
}

describe('the live log tail', () => {
  it("shows the last 200 lines of the running attempt's stdout, escapes stripped and HTML escaped", async () => {
    const { server, state } = await withLog();
    const answer = await fetch(`${server.url}/tasks/run/log`);
    expect(answer.status).toBe(200);
    const page = await answer.text();
    const pre = /<pre data-testid="log-lines"[^>]*>([\s\S]*)<\/pre>/.exec(page)?.[1] ?? '';
    const shown = pre.split('\n');
    expect(shown).toHaveLength(200);
    expect(shown[0]).toBe('line 52');
    expect(shown.at(-1)).toBe('red &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('\u001b');
    expect(page).not.toContain('pwned');
    expect(page).toContain('data-running="true"');
    expect(page).toContain('earlier output left out');
    state.close();
  });

  it('shows stderr with ?stderr=1, and the fleet page links the running task to it', async () => {
    const { server, state } = await withLog();
    const stderr = await (await fetch(`${server.url}/tasks/run/log?stderr=1`)).text();
    expect(stderr).toContain('warning: &lt;b&gt;careful&lt;/b&gt;');
    expect(stderr).toContain('stderr of <a href="/tasks/run">run</a>');
    const fleet = await (await fetch(`${server.url}/`)).text();
    expect(fleet).toContain('<a href="/tasks/run/log" data-testid="log-link">log</a>');
    expect(fleet).toContain('<a href="/tasks/run/log?stderr=1">stderr</a>');
    state.close();
  });

  it('answers 404 with the reason when no attempt left a log on this machine', async () => {
    const { server, state } = await withLog();
    for (const id of ['quiet', 'unknown', '..%2F..%2Fetc']) {
      const answer = await fetch(`${server.url}/tasks/${id}/log`);
      expect(answer.status).toBe(404);
      expect(await answer.json()).toMatchObject({
        error: 'NOT_FOUND',
        reason: expect.stringContaining('has left a log on this machine'),
      });
    }
    state.close();
  });

  it('reads only the end of a long log, dropping the cut first line', () => {
    const dir = tempDir();
    const path = join(dir, 'big.log');
    writeFileSync(path, `${'x'.repeat(5_000)}\nsecond\nthird\n`);
    expect(readTail(path, 200, 20)).toEqual({ lines: ['second', 'third'], truncated: true });
    expect(readTail(path, 1)).toEqual({ lines: ['third'], truncated: true });
    expect(readTail(join(dir, 'absent.log'))).toBeNull();
  });
});
