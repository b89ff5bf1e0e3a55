import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { owner, testState } from '../../../tests/support/state.js';
import { useTempDirs } from '../../../tests/support/temp-dir.js';
import { openDatabase } from './database.js';

const tempDir = useTempDirs();

/**
 * `busyDecider`: the next recovery-lock attempt finds another live process deciding on the file
 * right now (its lock held). Deterministic: the window between an opener's checks and its lock
 * is microseconds, too small to hit with a second process.
 */
let busyDecider = false;
vi.mock('./db-holders.js', async (original) => {
  const real = await original<typeof import('./db-holders.js')>();
  return {
    ...real,
    withRecoveryLock: (<T>(path: string, fn: () => T): T | null => {
      if (!busyDecider) return real.withRecoveryLock(path, fn);
      busyDecider = false;
      return null;
    }) as typeof real.withRecoveryLock,
  };
});

describe('opening the state database', () => {
  it('moves a corrupt file aside with a timestamped backup and starts fresh, deleting nothing', () => {
    const dir = tempDir();
    const path = join(dir, 'state.db');
    const garbage = 'this is not a database '.repeat(400);
    writeFileSync(path, garbage);
    writeFileSync(join(dir, 'keep.txt'), 'unrelated');
    const recovered: string[] = [];
    const db = openDatabase(path, {
      onRecovered: (backup) => recovered.push(backup),
      now: () => Date.UTC(2026, 10, 21, 8),
    });
    expect(recovered).toEqual([`${path}.corrupt-2026-11-21T08-00-00-000Z`]);
    expect(readFileSync(recovered[0]!, 'utf8')).toBe(garbage);
    expect(readFileSync(join(dir, 'keep.txt'), 'utf8')).toBe('unrelated');
    expect(db.prepare('SELECT COUNT(*) AS n FROM tasks').get()).toEqual({ n: 0 });
    db.close();
  });

  it('recovers from a file whose pages were damaged after use', () => {
    const dir = tempDir();
    const { state } = testState(dir);
    for (let i = 0; i < 200; i++) state.claim(`task-${i}`, owner('a'), { create: true });
    state.db.pragma('wal_checkpoint(TRUNCATE)');
    state.close();
    const path = join(dir, 'state.db');
    const bytes = readFileSync(path);
    bytes.fill(0xa5, 4096, bytes.length - 4096); // scribble over the b-tree pages
    writeFileSync(path, bytes);
    const recovered: string[] = [];
    const db = openDatabase(path, { onRecovered: (b) => recovered.push(b) });
    expect(recovered).toHaveLength(1);
    expect(existsSync(recovered[0]!)).toBe(true);
    expect(db.prepare('SELECT COUNT(*) AS n FROM tasks').get()).toEqual({ n: 0 });
    db.close();
  });

  it('leaves a healthy database alone and keeps its data across reopenings', () => {
    const dir = tempDir();
    const first = testState(dir);
    first.state.claim('t1', owner('a'), { create: true });
    first.state.close();
    const second = testState(dir);
    expect(second.state.get('t1')!.state).toBe('claimed');
    second.state.close();
    expect(readdirSync(dir).filter((f) => f.includes('corrupt'))).toEqual([]);
  });
});

describe('an empty file another process is creating, while a third decides on it', () => {
  it('is opened once the decider is done, not refused as empty', async () => {
    const path = join(tempDir(), 'state.db');
    writeFileSync(path, ''); // created, its first page not written yet
    // The creator: a live holder of the file that has not written its first page yet.
    const holders = new URL('./db-holders.ts', import.meta.url).pathname;
    const script = `
      import { registerHolder } from ${JSON.stringify(holders)};
      registerHolder(${JSON.stringify(path)});
      process.stdout.write('ready\\n');
      setTimeout(() => {}, 10000);
    `;
    const creator = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await new Promise<void>((resolve) => creator.stdout!.once('data', () => resolve()));
      // A third process decides on the file when this one first looks: it finds the live holder
      // and leaves the empty file as it is. Opening what it left as is refused it as empty.
      busyDecider = true;
      const db = openDatabase(path);
      expect(busyDecider).toBe(false); // the decider was met
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      db.close();
      expect(readdirSync(dirname(path)).filter((f) => f.includes('corrupt'))).toEqual([]); // nothing moved aside
    } finally {
      creator.kill('SIGKILL');
    }
  }, 20_000);
});
