import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { CodexMonitorError } from '../core/errors.js';
import { MIGRATIONS } from './migrations.js';

export type Db = Database.Database;

export interface OpenOptions {
  /** Told when a corrupt database was moved aside. */
  onRecovered?: (backupPath: string, cause: unknown) => void;
  /** Wall-clock time for the backup's name. */
  now?: () => number;
  /** How long a writer waits for the lock before failing (ms). */
  busyTimeoutMs?: number;
}

const CORRUPTION_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB']);

function isCorruption(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && [...CORRUPTION_CODES].some((c) => code.startsWith(c));
}

/**
 * Opens (creating if needed) the state database: WAL so readers never block the writer,
 * a busy timeout so several processes can write, and the schema migrated.
 * A corrupt file is moved aside under a timestamped name (never deleted) and a fresh one made.
 */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
  mkdirSync(dirname(path), { recursive: true });
  try {
    return openAndCheck(path, options);
  } catch (error) {
    if (!isCorruption(error)) {
      throw new CodexMonitorError(
        'STATE_UNAVAILABLE',
        `Cannot open the state database ${path}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    // Another process may have recovered it meanwhile: only move aside what is still corrupt.
    try {
      return openAndCheck(path, options);
    } catch (again) {
      if (!isCorruption(again)) throw again;
    }
    const backup = moveAside(path, options.now?.() ?? Date.now());
    options.onRecovered?.(backup, error);
    return openAndCheck(path, options);
  }
}

function openAndCheck(path: string, options: OpenOptions): Db {
  const db = new Database(path, { timeout: options.busyTimeoutMs ?? 10_000 });
  try {
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode survives a process crash (what we guard against); a power cut
    // may lose the last commits, which the stale sweep then recovers from.
    db.pragma('synchronous = NORMAL');
    const check = db.pragma('quick_check(1)', { simple: true });
    if (check !== 'ok') {
      throw Object.assign(new Error(`integrity check failed: ${String(check)}`), { code: 'SQLITE_CORRUPT' });
    }
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current >= MIGRATIONS.length) return;
  // IMMEDIATE: two processes opening a new file at once must not both migrate it.
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    for (let v = version; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]!);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
}

function moveAside(path: string, now: number): string {
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  const backup = `${path}.corrupt-${stamp}`;
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(path + suffix)) renameSync(path + suffix, backup + suffix);
  }
  return backup;
}
