import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { isProcessAlive, processStartTicks } from '../../host/process-liveness.js';

/**
 * Who has a state database open, so that nobody moves it aside under a live process.
 *
 * SQLite's own locks cannot be asked from outside, and a database that looks corrupt cannot
 * be read for its registered owners. So every process that opens the database first leaves a
 * file `<db>.holders/<pid>-<start ticks>` and removes it when it closes; one that crashed
 * leaves its file behind, which the pid and start time show to be dead.
 *
 * Moving aside takes `<db>.recovery` (created exclusively) before it looks at the holders,
 * and an opener registers before it looks for that lock: whichever comes second sees the other.
 */
export interface Holder {
  pid: number;
  pidStart: number | null;
}

const self: Holder = { pid: process.pid, pidStart: processStartTicks(process.pid) };
const registrations = new Map<string, number>();

const holdersDir = (dbPath: string) => `${dbPath}.holders`;
const holderName = (h: Holder) => `${h.pid}-${h.pidStart ?? 'x'}`;

/**
 * Registers this process as a holder of `dbPath` (counted: one process may open it twice).
 * Returns the release, to call when the connection closes.
 */
export function registerHolder(dbPath: string): () => void {
  const count = registrations.get(dbPath) ?? 0;
  if (count === 0) {
    mkdirSync(holdersDir(dbPath), { recursive: true });
    closeSync(openSync(`${holdersDir(dbPath)}/${holderName(self)}`, 'w'));
  }
  registrations.set(dbPath, count + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (registrations.get(dbPath) ?? 1) - 1;
    if (left > 0) {
      registrations.set(dbPath, left);
      return;
    }
    registrations.delete(dbPath);
    rmSync(`${holdersDir(dbPath)}/${holderName(self)}`, { force: true });
  };
}

/** Other live processes holding `dbPath`. Files of dead ones are removed on the way. */
export function liveHolders(dbPath: string): Holder[] {
  let names: string[];
  try {
    names = readdirSync(holdersDir(dbPath));
  } catch {
    return [];
  }
  const live: Holder[] = [];
  for (const name of names) {
    const match = /^(\d+)-(\d+|x)$/.exec(name);
    if (!match) continue;
    const holder = { pid: Number(match[1]), pidStart: match[2] === 'x' ? null : Number(match[2]) };
    if (holder.pid === self.pid) continue;
    if (isProcessAlive(holder.pid, holder.pidStart)) live.push(holder);
    else rmSync(`${holdersDir(dbPath)}/${name}`, { force: true });
  }
  return live;
}

/**
 * Runs `fn` (the move aside) holding the recovery lock. Returns null without running it when
 * another live process holds the lock (it is recovering the same file right now).
 */
export function withRecoveryLock<T>(dbPath: string, fn: () => T): T | null {
  const lock = `${dbPath}.recovery`;
  for (let tries = 0; tries < 2; tries++) {
    let fd: number;
    try {
      fd = openSync(lock, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (lockHolderAlive(lock)) return null;
      rmSync(lock, { force: true }); // left by a process that died recovering
      continue;
    }
    try {
      writeSync(fd, holderName(self));
      closeSync(fd);
      return fn();
    } finally {
      rmSync(lock, { force: true });
    }
  }
  return null;
}

/** Waits (briefly, synchronously) while another live process moves the database aside. */
export function waitWhileRecovering(dbPath: string, timeoutMs = 10_000): void {
  const lock = `${dbPath}.recovery`;
  const deadline = Date.now() + timeoutMs;
  while (lockHolderAlive(lock) && Date.now() < deadline) sleepSync(20);
}

function lockHolderAlive(lock: string): boolean {
  let text: string;
  try {
    text = readFileSync(lock, 'utf8');
  } catch {
    return false;
  }
  const match = /^(\d+)-(\d+|x)$/.exec(text);
  // Just created, its owner not yet written: alive, unless left empty long ago by a crash.
  if (!match) return Date.now() - statSafe(lock) < 5_000;
  return isProcessAlive(Number(match[1]), match[2] === 'x' ? null : Number(match[2]));
}

function statSafe(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
