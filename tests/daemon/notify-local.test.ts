import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exitWithin, fastEnv, readMarkers, startCli, waitFor, writeDag } from '../support/daemons.js';
import { startReceiver } from '../support/notify-receiver.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function receiver() {
  const r = await startReceiver();
  cleanups.push(r.close);
  return r;
}

describe('notifications on the local board', () => {
  it('the daemon that poisons a task notifies once; the agent error stays out', async () => {
    const hook = await receiver();
    const dir = tempDir();
    const dag = writeDag(
      dir,
      [
        { id: 'red', cmd: `node -e "console.error('tests are red'); process.exit(1)"` },
        { id: 'green', sleepMs: 10 },
      ],
      join(dir, 'markers.jsonl'),
    );
    const daemon = startCli(
      ['run', '--seed', dag, '--until-idle', '--owner', 'ws1/codex'],
      fastEnv(join(dir, 'state'), {
        SHARED_STATE_MAX_RETRIES: '2',
        NOTIFY_WEBHOOK_URL: `${hook.url}/hook`,
        NOTIFY_ON: 'poisoned done',
      }),
    );
    expect(await exitWithin(daemon, 60_000), daemon.output().slice(-3000)).toBe(1); // poisoned work
    const bodies = hook.received.map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(bodies.map((b) => `${b.event} ${b.task}`).sort()).toEqual(['done green', 'poisoned red']);
    expect(bodies.find((b) => b.event === 'poisoned')).toMatchObject({ owner: 'ws1/codex', error: null });
    expect(hook.received.map((r) => r.body).join()).not.toContain('tests are red');
  }, 90_000);

  it('a daemon that stops on an error (its owner id is taken) notifies daemon-error before it exits', async () => {
    const hook = await receiver();
    const dir = tempDir();
    const markers = join(dir, 'markers.jsonl');
    const dag = writeDag(dir, [{ id: 'long', sleepMs: 60_000 }], markers);
    const env = fastEnv(join(dir, 'state'));
    const first = startCli(['run', '--seed', dag, '--owner', 'ws1/codex'], env);
    cleanups.push(async () => {
      first.child.kill('SIGTERM');
      await exitWithin(first, 20_000);
    });
    await waitFor(() => readMarkers(markers).length === 1, 30_000, 'the first daemon to run its task');
    const second = startCli(['run', '--owner', 'ws1/codex'], {
      ...env,
      NOTIFY_WEBHOOK_URL: `${hook.url}/hook`,
    });
    const code = await exitWithin(second, 30_000);
    expect(code, second.output().slice(-3000)).not.toBe(0);
    expect(code).not.toBe('hung');
    expect(hook.received.map((r) => JSON.parse(r.body))).toEqual([
      expect.objectContaining({
        event: 'daemon-error',
        owner: 'ws1/codex',
        text: expect.stringContaining('stopped on OWNER_COLLISION'),
      }),
    ]);
  }, 90_000);
});
