import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { owner, testState } from '../../../tests/support/state.js';
import { useTempDirs } from '../../../tests/support/temp-dir.js';
import { openDatabase } from './database.js';

const tempDir = useTempDirs();

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
