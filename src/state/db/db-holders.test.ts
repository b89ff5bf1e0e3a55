import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../tests/support/temp-dir.js';
import { processStartTicks } from '../../host/process-liveness.js';
import { openDatabase } from './database.js';
import { liveHolders, registerHolder } from './db-holders.js';

const tempDir = useTempDirs();

/** Registers another real process as a holder of `db`, as its own openDatabase would. */
function holderFile(db: string, pid: number): void {
  mkdirSync(`${db}.holders`, { recursive: true });
  writeFileSync(join(`${db}.holders`, `${pid}-${processStartTicks(pid) ?? 'x'}`), '');
}

describe('holders of the state database', () => {
  it('counts live processes only, forgetting the files of dead ones, and never itself', async () => {
    const db = join(tempDir(), 'state.db');
    const release = registerHolder(db);
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      holderFile(db, child.pid!);
      holderFile(db, 999_999_999); // no such process
      expect(liveHolders(db)).toEqual([{ pid: child.pid, pidStart: processStartTicks(child.pid!) }]);
      expect(readdirSync(`${db}.holders`)).not.toContain(`999999999-x`);
    } finally {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    expect(liveHolders(db)).toEqual([]);
    release();
    expect(readdirSync(`${db}.holders`)).toEqual([]);
  });

  it('opens an empty file a live process is creating, instead of moving it aside under it', async () => {
    const dir = tempDir();
    const db = join(dir, 'state.db');
    writeFileSync(db, ''); // what `new Database(path)` leaves before its first page is written
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      holderFile(db, child.pid!);
      const recovered: string[] = [];
      const opened = openDatabase(db, { onRecovered: (backup) => recovered.push(backup) });
      expect(recovered).toEqual([]);
      expect(opened.prepare('SELECT COUNT(*) AS n FROM tasks').get()).toEqual({ n: 0 });
      opened.close();
    } finally {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    expect(readdirSync(dir).filter((f) => f.includes('corrupt'))).toEqual([]);
    expect(existsSync(db)).toBe(true);
  });
});
