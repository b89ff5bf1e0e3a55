/**
 * What every process-starting executor (shell, mcp-call) does with files around an attempt:
 * its fresh working directory, and the line of its stderr that says why it failed.
 */
import { closeSync, mkdirSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

export const STDOUT_FILE = 'stdout.log';
export const STDERR_FILE = 'stderr.log';
/** How much of stderr.log's end is read for the failure line. */
const STDERR_TAIL_BYTES = 8192;
const MAX_ERROR_LINE = 200;

/**
 * The attempt's fresh working directory: `<workspaces root>/<task>/<epoch>`, named as its
 * artifacts directory is (one safe naming serves both: two plain path components), and
 * emptied if a crashed run left one behind. Never the daemon's own directory and its `.env`.
 */
export function freshWorkspace(workspacesRoot: string, artifactsDir: string): string {
  const epochDir = resolve(artifactsDir);
  const dir = join(workspacesRoot, basename(dirname(epochDir)), basename(epochDir));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The last non-empty line of the file's tail, trimmed to MAX_ERROR_LINE characters. */
export function lastStderrLine(path: string): string | undefined {
  try {
    const size = statSync(path).size;
    const length = Math.min(size, STDERR_TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    const fd = openSync(path, 'r');
    try {
      readSync(fd, buffer, 0, length, size - length);
    } finally {
      closeSync(fd);
    }
    const lines = buffer.toString('utf8').split(/\r?\n/);
    const line = lines.reverse().find((l) => l.trim() !== '');
    return line === undefined ? undefined : line.trim().slice(0, MAX_ERROR_LINE);
  } catch {
    return undefined;
  }
}
