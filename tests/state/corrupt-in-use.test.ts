import { closeSync, existsSync, openSync, readdirSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { fastEnv, startCli, waitFor } from '../support/daemons.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const PAGE = 4096;

/**
 * A state database with a table no daemon reads, filling pages at the end of the file:
 * damaging those pages later corrupts the file for every integrity check while the daemon
 * that holds it open goes on working (it never reads them).
 */
async function stateWithPadding(dir: string): Promise<{ first: number; last: number }> {
  const env = fastEnv(dir);
  expect((await runCli(['tasks', 'add', 'only-task'], { env })).code).toBe(0);
  const db = new Database(join(dir, 'state.db'));
  const before = statSync(join(dir, 'state.db')).size / PAGE;
  db.exec('CREATE TABLE padding (blob BLOB)');
  const insert = db.prepare('INSERT INTO padding VALUES (randomblob(3000))');
  for (let i = 0; i < 200; i++) insert.run();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const after = statSync(join(dir, 'state.db')).size / PAGE;
  return { first: Math.ceil(before) + 20, last: after - 20 };
}

function scribble(file: string, pages: { first: number; last: number }): void {
  const fd = openSync(file, 'r+');
  try {
    const junk = Buffer.alloc(PAGE, 0xa5);
    for (let page = pages.first; page < pages.last; page++) writeSync(fd, junk, 0, PAGE, page * PAGE);
  } finally {
    closeSync(fd);
  }
}

const backups = (dir: string) => readdirSync(dir).filter((f) => /^state\.db\.corrupt-[^.]+$/.test(f));

describe('a corrupt-looking database under a live daemon', () => {
  it('is not moved aside while a daemon holds it; it is once no live process does', async () => {
    const dir = tempDir();
    const pages = await stateWithPadding(dir);
    expect(pages.last - pages.first).toBeGreaterThan(50);
    // The daemon holds the database (heartbeats every 200 ms), with nothing to run.
    const daemon = startCli(['run', '--owner', 'holder'], fastEnv(dir, { LOG_LEVEL: 'info' }));
    try {
      await waitFor(() => daemon.output().includes('daemon started'), 20_000, 'the daemon to start');
      scribble(join(dir, 'state.db'), pages);

      const status = await runCli(['status'], { env: fastEnv(dir) });
      expect(status.code, status.stderr).toBe(2);
      expect(status.stderr).toMatch(
        new RegExp(
          `state database ${join(dir, 'state.db')} looks corrupt .* open in a live process \\(pid ${daemon.child.pid}\\)`,
        ),
      );
      expect(status.stderr).toMatch(
        /Stop that process \(a daemon stops on SIGTERM\) and run the command again/,
      );
      expect(status.stderr).not.toMatch(/\n\s+at /);
      expect(backups(dir)).toEqual([]);
      // A second daemon is refused the same way: it must not start afresh beside the first.
      const second = await runCli(['run', '--until-idle', '--owner', 'second'], { env: fastEnv(dir) });
      expect(second.code).toBe(2);
      expect(backups(dir)).toEqual([]);
      expect(daemon.child.exitCode).toBeNull(); // the holder is still running, on its file
    } finally {
      daemon.child.kill('SIGKILL');
      await daemon.exited;
    }

    // Nobody holds it any more (the holder died without closing): the existing recovery applies.
    const status = await runCli(['status'], { env: fastEnv(dir) });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stderr).toMatch(/the state database was corrupt: moved it aside/);
    expect(backups(dir)).toHaveLength(1);
    expect(existsSync(join(dir, 'state.db'))).toBe(true);
  });
});
