import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { exitWithin, fastEnv, openTestState, startCli, writeDag } from '../support/daemons.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();

/** A bound on "never": the run below needs a second or two; a daemon that never idles is stopped. */
const HANG_GUARD_MS = 30_000;

describe('run --until-idle on the local board (real process)', () => {
  it('goes idle when the only work left is a failed task out of retries (MAX_RETRIES lowered since)', async () => {
    const dir = tempDir();
    const env = fastEnv(dir, { SHARED_STATE_MAX_RETRIES: '2' });
    const dag = writeDag(
      dir,
      [{ id: 'spent' }, { id: 'after', deps: ['spent'] }, { id: 'fine' }],
      join(dir, 'markers.jsonl'),
    );
    await runCli(['tasks', 'seed', dag], { env });
    const store = openTestState(dir);
    try {
      // Failed three times under an earlier, higher limit: claim refuses it ("retry limit reached").
      store.db.prepare("UPDATE tasks SET state = 'failed', retry_count = 3 WHERE id = 'spent'").run();

      const daemon = startCli(['run', '--until-idle', '--owner', 'w1'], env);
      const ended = await exitWithin(daemon, HANG_GUARD_MS);
      expect(ended, `the daemon never went idle:\n${daemon.output()}`).not.toBe('hung');
      expect(store.get('fine')!.state).toBe('done');
      expect(store.get('spent')).toMatchObject({ state: 'failed', retryCount: 3, epoch: 0 }); // never claimed
      expect(store.get('after')!.state).toBe('ready');
    } finally {
      store.close();
    }
  });
});
