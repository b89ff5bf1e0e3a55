/**
 * One small JSON file per worktree, beside it (`<root>/<name>.json`, outside the worktree, so
 * an agent does not see or edit it): whose it is and what state it is in, so `list()` can tell
 * an active worktree from a kept one and from a crashed daemon's leftover.
 */
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { taskDirName } from '../../core/safe-path.js';

export interface WorktreeMeta {
  /** The task's key (issue number or task id). */
  key: string;
  attempt: string;
  branch: string;
  ownerPid: number;
  ownerPidStart: number | null;
  /** Wall-clock ms. */
  createdAt: number;
  state: 'active' | 'kept';
  /** Wall-clock ms until which a kept worktree stays, else null. */
  keepUntil: number | null;
  baseSha: string;
  startSha: string;
}

const SUFFIX = '.json';

/** The directory name of a key's attempt: each part made one safe path segment. */
export function worktreeName(key: string, attempt: string): string {
  return `${taskDirName(key)}--${taskDirName(attempt)}`;
}

export function metaPath(root: string, name: string): string {
  return join(root, `${name}${SUFFIX}`);
}

export function writeMeta(root: string, name: string, meta: WorktreeMeta): void {
  const path = metaPath(root, name);
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(meta, null, 2)}\n`, { mode: 0o600 });
  renameSync(temp, path);
}

function isMeta(value: unknown): value is WorktreeMeta {
  const m = value as Partial<WorktreeMeta> | null;
  return (
    typeof m === 'object' &&
    m !== null &&
    typeof m.key === 'string' &&
    typeof m.branch === 'string' &&
    typeof m.ownerPid === 'number' &&
    (m.state === 'active' || m.state === 'kept')
  );
}

/** The metadata of `name`, or null when absent or unreadable. */
export function readMeta(root: string, name: string): WorktreeMeta | null {
  try {
    const value: unknown = JSON.parse(readFileSync(metaPath(root, name), 'utf8'));
    return isMeta(value) ? value : null;
  } catch {
    return null;
  }
}

export function removeMeta(root: string, name: string): void {
  rmSync(metaPath(root, name), { force: true });
}

/** The names of every worktree with a metadata file under `root`. */
export function metaNames(root: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return [];
  }
  return entries.filter((e) => e.endsWith(SUFFIX)).map((e) => e.slice(0, -SUFFIX.length));
}
