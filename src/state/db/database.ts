import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { CodexMonitorError } from '../../core/errors.js';
import {
  type Holder,
  liveHolders,
  registerHolder,
  waitWhileRecovering,
  withRecoveryLock,
} from './db-holders.js';
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
 * A database that looks corrupt but that other live processes hold open: moving it aside
 * would pull it from under a running daemon (which would go on writing into the backup while
 * a second daemon re-ran its tasks from a fresh file).
 */
export class StateInUseError extends CodexMonitorError {
  readonly holders: readonly Holder[];

  constructor(path: string, holders: readonly Holder[], cause: unknown) {
    const pids = holders.map((h) => h.pid).join(', ');
    const one = holders.length === 1;
    const why = (cause as Error).message.replace(/\s+/g, ' ');
    super(
      'STATE_CORRUPT',
      `The state database ${path} looks corrupt (${why}), but it is open in ` +
        `${one ? 'a live process' : `${holders.length} live processes`} (pid ${pids}), so it is not ` +
        `moved aside from under ${one ? 'it' : 'them'}. Stop ${one ? 'that process' : 'those processes'} ` +
        '(a daemon stops on SIGTERM) and run the command again: the file is then kept as a ' +
        '.corrupt-<time> backup and a fresh one is started.',
      { cause },
    );
    this.holders = holders;
  }
}

/**
 * Opens (creating if needed) the state database: WAL so readers never block the writer,
 * a busy timeout so several processes can write, and the schema migrated.
 * A corrupt file is moved aside under a timestamped name (never deleted) and a fresh one made,
 * but never while another live process holds it (see db-holders.ts).
 */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
  mkdirSync(dirname(path), { recursive: true });
  const release = registerHolder(path);
  try {
    waitWhileRecovering(path);
    const db = openOrRecover(path, options);
    // The registration lasts as long as the connection.
    const close = db.close.bind(db);
    db.close = () => {
      try {
        return close();
      } finally {
        release();
      }
    };
    return db;
  } catch (error) {
    release();
    throw error;
  }
}

/** How often a process that found another deciding on the file decides again itself. */
const DECIDE_AGAIN = 3;

function openOrRecover(path: string, options: OpenOptions, round = 0): Db {
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
    let cause = error;
    try {
      return openAndCheck(path, options);
    } catch (again) {
      if (!isCorruption(again)) throw again;
      cause = again;
    }
    const outcome = withRecoveryLock(path, (): { holders: Holder[] } | { backup: string } => {
      const holders = liveHolders(path);
      return holders.length > 0 ? { holders } : { backup: moveAside(path, options.now?.() ?? Date.now()) };
    });
    if (outcome === null) {
      // Another process is deciding right now: it may move the file aside, or leave an empty one
      // that a live holder is still creating. Once it is done, decide again on what it left.
      waitWhileRecovering(path);
      return round < DECIDE_AGAIN ? openOrRecover(path, options, round + 1) : openAndCheck(path, options);
    }
    if ('holders' in outcome) {
      // An empty file held by a live process is one being created right now: SQLite reads it
      // as an empty database, and the holder is about to write its first page.
      if ((cause as { empty?: boolean }).empty) return openAndCheck(path, options, { allowEmpty: true });
      throw new StateInUseError(path, outcome.holders, cause);
    }
    options.onRecovered?.(outcome.backup, cause);
    return openAndCheck(path, options);
  }
}

/**
 * A 0-byte file is not a database anyone wrote: something truncated it (a full disk, a bad
 * copy). SQLite would open it silently as an empty one — every task and event gone without a
 * word — so it counts as corrupt: kept as a backup, with the warning every recovery gives.
 */
function refuseEmpty(path: string): void {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return; // absent: created below
  }
  if (size === 0) {
    throw Object.assign(new Error('the file is empty (0 bytes)'), { code: 'SQLITE_NOTADB', empty: true });
  }
}

function openAndCheck(path: string, options: OpenOptions, how: { allowEmpty?: boolean } = {}): Db {
  if (!how.allowEmpty) refuseEmpty(path);
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
