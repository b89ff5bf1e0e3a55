/**
 * Which file a command's program is, and whether EXECUTOR_ALLOWLIST allows that file.
 *
 * Matching the program's file name alone let `/any/dir/echo` (or `./echo` in a directory the
 * agent wrote) run whenever `echo` was allowed. So the program is resolved the way exec would
 * resolve it — a name through the PATH of the attempt's environment, a path against the
 * attempt's working directory — and the resulting file is what must be allowed:
 * - an entry without '/' (`node`) allows that name looked up through PATH, and nothing else:
 *   not `/opt/node`, not `./node`;
 * - an entry with '/' (`/usr/local/bin/codex`) allows that file, compared after resolving
 *   symbolic links on both sides; a bare program name that PATH resolves to that file is
 *   allowed too.
 * The executor then starts the resolved file, so PATH is not searched a second time.
 */
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

export type ProgramCheck = { ok: true; file: string } | { ok: false; error: string };

/**
 * Resolves `program` and checks it against `allowlist`. `path` is the attempt's PATH, `cwd`
 * its working directory. The error names the program, what it resolved to and the allow-list.
 */
export function checkProgram(
  program: string,
  allowlist: readonly string[],
  where: { path: string | undefined; cwd: string },
): ProgramCheck {
  const file = resolveProgram(program, where);
  const allowed = program.includes('/')
    ? file !== null && allowlist.some((e) => e.includes('/') && sameFile(resolve(where.cwd, e), file))
    : allowlist.includes(program) ||
      (file !== null && allowlist.some((e) => e.includes('/') && sameFile(resolve(where.cwd, e), file)));
  if (allowed && file !== null) return { ok: true, file };
  return { ok: false, error: refusal(program, file, allowlist, where) };
}

/** The file exec would run for `program`, or null if there is none (not found, not executable). */
export function resolveProgram(
  program: string,
  where: { path: string | undefined; cwd: string },
): string | null {
  if (program === '' || program.endsWith('/')) return null;
  if (program.includes('/')) {
    const file = resolve(where.cwd, program);
    return isExecutableFile(file) ? file : null;
  }
  if (where.path === undefined) return null; // no PATH, no lookup: never a guessed default
  for (const dir of where.path.split(delimiter)) {
    // POSIX: an empty PATH entry is the working directory.
    const file = join(isAbsolute(dir) ? dir : resolve(where.cwd, dir), program);
    if (isExecutableFile(file)) return file;
  }
  return null;
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function sameFile(a: string, b: string): boolean {
  return real(a) === real(b);
}

function real(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

function refusal(
  program: string,
  file: string | null,
  allowlist: readonly string[],
  where: { path: string | undefined; cwd: string },
): string {
  const entries = allowlist.map((entry) => {
    if (entry.includes('/')) return entry;
    const found = resolveProgram(entry, where);
    return found === null ? `${entry} (not found on PATH)` : `${entry} = ${found}`;
  });
  const allowed = `EXECUTOR_ALLOWLIST: ${entries.length > 0 ? entries.join(', ') : 'none'}`;
  const path = program.includes('/') ? resolve(where.cwd, program) : null;
  const listed =
    path === null ? allowlist.includes(program) : allowlist.some((e) => resolve(where.cwd, e) === path);
  const found =
    file !== null
      ? `it resolves to ${file}`
      : path !== null
        ? `it resolves to ${path}, which is not an executable file`
        : `it is not found on the attempt's PATH (${where.path ?? 'unset'})`;
  if (listed) return `program "${program}" is allowed but cannot run: ${found} (${allowed})`;
  const hint =
    path !== null
      ? 'a path is allowed only when EXECUTOR_ALLOWLIST lists that path'
      : 'add the name or the path to EXECUTOR_ALLOWLIST to allow it';
  return `program "${program}" is not in EXECUTOR_ALLOWLIST (${found}; ${allowed}); ${hint}`;
}
