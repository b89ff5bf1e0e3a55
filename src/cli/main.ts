#!/usr/bin/env node
import { CommanderError } from 'commander';
import { CodexMonitorError, ConfigError } from '../core/errors.js';
import { redactUrl } from '../core/redact.js';
import { endQuietlyOnClosedPipe } from './output/closed-pipe.js';
import { terminalText } from './output/terminal-safe.js';
// The command tree lives in program.ts (a test walks it without running the CLI).
import { buildProgram } from './program.js';

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    // A command that finished but failed (a doctor check, a daemon's own exit) set the code.
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof ConfigError) {
      process.stderr.write(
        `${terminalText(error.message)}\nSee .env.example for every variable and its default.\n`,
      );
      return 2;
    }
    if (error instanceof CodexMonitorError) {
      // Messages quote values from DAG files, issues and refs: never raw to a terminal.
      process.stderr.write(`codex-monitor: ${terminalText(redactUrl(error.message))}\n`);
      // Bad input (a repository directory that is no clone of the repository included), and a
      // corrupt database that live processes hold (stop them first): exit 2.
      return EXIT_2_CODES.has(error.code) ? 2 : 1;
    }
    // Unexpected: the stack, as Node would print it, but never a credential inside a URL.
    process.stderr.write(
      `${redactUrl(error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`,
    );
    return 1;
  }
}

const EXIT_2_CODES = new Set<string>([
  'INPUT_INVALID',
  'STATE_CORRUPT',
  'REPO_NOT_GIT',
  'REPO_NO_REMOTE',
  'REPO_OTHER_REMOTE',
  'BRANCH_PREFIX_INVALID',
]);

// `codex-monitor … | head`: a reader that stops reading is no error (see closed-pipe.ts).
endQuietlyOnClosedPipe(process.stdout);
endQuietlyOnClosedPipe(process.stderr);
process.exitCode = await main(process.argv);
