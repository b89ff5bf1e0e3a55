import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(fileURLToPath(import.meta.url), '../../..');
/** Where the tests' globalSetup (tests/support/cli-build.ts) compiles src/, as `npm run build` does. */
export const BUILD_DIR = join(ROOT, '.test-build');
/** CLI_FROM_SOURCE=1: spawn src/cli/main.ts through tsx (no build; stack traces point at the source). */
export const CLI_FROM_SOURCE = process.env.CLI_FROM_SOURCE === '1';
/** tsx's loader by URL: `--import tsx` would be looked up from the child's cwd, which may be a temp dir. */
export const TSX = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
/** The CLI's entry point: the test build's main.js, or main.ts with CLI_FROM_SOURCE=1. */
export const CLI = CLI_FROM_SOURCE ? join(ROOT, 'src/cli/main.ts') : join(BUILD_DIR, 'cli/main.js');
/** Node's flags before `CLI`: tsx's loader from source, nothing for the build. */
export const CLI_LOADER: readonly string[] = CLI_FROM_SOURCE ? ['--import', TSX] : [];

/**
 * Node's arguments that run `codex-monitor ...args`: `[loader] <CLI> ...args`, for
 * `spawn(process.execPath, cliArgs(...))`. Every test runs the CLI through this (or `cliArgv`,
 * `cliCommand`, `runCli`), so how it is run is decided here alone.
 */
export function cliArgs(...args: string[]): string[] {
  if (!CLI_FROM_SOURCE && !existsSync(CLI))
    throw new Error(
      `${CLI} is missing: the CLI is built by vitest's globalSetup (tests/support/cli-build.ts) of the ` +
        `'cli' and 'processes' projects. Run the test through vitest.config.ts, or set CLI_FROM_SOURCE=1.`,
    );
  return [...CLI_LOADER, CLI, ...args];
}

/** `cliArgs` with the program first: `[node, ...cliArgs(...args)]`. */
export function cliArgv(...args: string[]): string[] {
  return [process.execPath, ...cliArgs(...args)];
}

/** `cliArgv(...args)` as one shell word list, each word single-quoted (for tmux, script, bash). */
export function cliCommand(...args: string[]): string {
  return cliArgv(...args)
    .map((word) => `'${word.replaceAll("'", "'\\''")}'`)
    .join(' ');
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI in a child process (see `cliArgv`), with a clean configuration environment. */
export function runCli(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, LOG_LEVEL: 'warn', ...options.env };
    for (const key of Object.keys(env)) {
      if (key.startsWith('GITHUB_') && !options.env?.[key]) delete env[key];
    }
    const child = spawn(process.execPath, cliArgs(...args), {
      env,
      cwd: options.cwd ?? process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
