/**
 * Vitest globalSetup of the projects that spawn the CLI: compiles src/ once per run into
 * `.test-build/` (as `npm run build` does, with tsconfig.build.json), so the tests spawn
 * `node .test-build/cli/main.js` — about half the CPU of a spawn through tsx, and there are
 * hundreds of spawns. The build is reused while the sources' content hash is unchanged.
 * CLI_FROM_SOURCE=1 skips it: the tests then spawn src/cli/main.ts through tsx (tests/support/cli.ts).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import type { TestProject } from 'vitest/node';
import { BUILD_DIR, CLI_FROM_SOURCE, ROOT } from './cli.js';

const HASH_FILE = '.source-hash';
/** What the build depends on besides src/: the compiler and its two configurations. */
const INPUTS = ['tsconfig.json', 'tsconfig.build.json', 'node_modules/typescript/package.json'];

export default function setup(project: TestProject): void {
  if (CLI_FROM_SOURCE) return;
  ensureBuild();
  // Watch mode: a rerun after an edit of src/ must not spawn yesterday's CLI.
  project.onTestsRerun(() => ensureBuild());
}

/** Builds `.test-build/` unless it holds the build of the sources as they are now. */
export function ensureBuild(): void {
  const hash = sourceHash();
  if (builtHash() === hash) return;
  // A fresh directory, then renamed into place: deleted sources leave no stale module behind,
  // and a build cut short (or a second vitest building at once) never leaves a half-built CLI.
  const next = join(ROOT, `.test-build.next-${process.pid}`);
  rmSync(next, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  try {
    // --noCheck: the same JavaScript, in half the time; `npm test` type-checks before vitest.
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', next, '--noCheck'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    rmSync(next, { recursive: true, force: true });
    const out = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(
      `Building the CLI for the tests (tsc -p tsconfig.build.json --outDir ${relative(ROOT, next)}) failed:\n` +
        `${out.stdout ?? ''}${out.stderr ?? ''}\nFix the build, or run the tests from source with CLI_FROM_SOURCE=1.`,
    );
  }
  writeFileSync(join(next, HASH_FILE), hash);
  const old = join(ROOT, `.test-build.old-${process.pid}`);
  if (existsSync(BUILD_DIR)) renameSync(BUILD_DIR, old);
  try {
    renameSync(next, BUILD_DIR);
  } catch (error) {
    // Another vitest put its build in place between the two renames: keep it if it is this one.
    if (builtHash() !== hash) throw error;
  } finally {
    rmSync(next, { recursive: true, force: true });
    rmSync(old, { recursive: true, force: true });
  }
}

function builtHash(): string | null {
  try {
    return readFileSync(join(BUILD_DIR, HASH_FILE), 'utf8');
  } catch {
    return null;
  }
}

/** sha256 over every file the build reads (their paths and contents), in a stable order. */
export function sourceHash(): string {
  const hash = createHash('sha256');
  const files = [...sourceFiles(join(ROOT, 'src')), ...INPUTS.map((f) => join(ROOT, f))];
  for (const file of files) {
    hash.update(relative(ROOT, file)).update('\0');
    hash.update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (!entry.name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}
