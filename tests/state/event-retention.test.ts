import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openRealState } from '../support/state.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const APPENDER = fileURLToPath(new URL('../support/event-appender.ts', import.meta.url));

describe('event log retention across processes', () => {
  it('five short-lived processes appending 900 events each leave at most EVENT_LOG_MAX_EVENTS', async () => {
    const db = join(tempDir(), 'state.db');
    openRealState(db).close(); // create and migrate once, so the workers race on appends only
    const workers = Array.from({ length: 5 }, () => {
      const child = spawn(process.execPath, ['--import', 'tsx', APPENDER, db, '900', '100'], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      return once(child, 'exit').then(([code]) => ({ code, stderr }));
    });
    for (const result of await Promise.all(workers)) expect(result.code, result.stderr).toBe(0);

    const store = openRealState(db);
    try {
      const { total } = store.events.stats();
      const appended = (store.db.prepare('SELECT MAX(id) AS id FROM events').get() as { id: number }).id;
      expect(appended).toBe(4_500); // every append happened
      expect(total).toBeLessThanOrEqual(100);
      expect(total).toBeGreaterThanOrEqual(90);
      // What is kept is the newest, from whichever process wrote it.
      expect(store.events.query({ limit: 1, newestFirst: true })[0]!.id).toBe(4_500);
    } finally {
      store.close();
    }
  });
});
