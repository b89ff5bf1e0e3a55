#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { CodexMonitorError, ConfigError } from '../core/errors.js';
import { redactUrl } from '../core/redact.js';
import { registerCompletionCommand } from './commands/completion.js';
import { registerDoctorCommand } from './commands/doctor.js';
import { registerEventCommands } from './commands/events.js';
import { registerInitCommand } from './commands/init.js';
import { registerRunCommand } from './commands/run.js';
import { registerServiceCommands } from './commands/service.js';
import { registerStateCommands } from './commands/state.js';
import { registerStatusCommand } from './commands/status.js';
import { registerSteeringCommands } from './commands/steer.js';
import { registerTaskCommands } from './commands/tasks.js';
import { registerWorkspaceCommands } from './commands/workspaces.js';
import { ignoreClosedPipe } from './output/closed-pipe.js';
import { terminalText } from './output/terminal-safe.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** Exit codes: 0 done, 1 failed, 2 bad usage or configuration. */
export function buildProgram(): Command {
  const program = new Command('codex-monitor')
    .description(
      'Runs coding agents on GitHub issues or a local task board, with at most one live owner per task across a fleet.',
    )
    .version(pkg.version, '-V, --version')
    .option('--state-dir <dir>', 'state directory (overrides CODEX_MONITOR_STATE_DIR)')
    .option('--json', 'print JSON where the command supports it')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerRunCommand(program);
  registerStatusCommand(program);
  registerTaskCommands(program);
  registerSteeringCommands(program);
  registerDoctorCommand(program);
  registerInitCommand(program);
  registerServiceCommands(program);
  registerStateCommands(program);
  registerEventCommands(program);
  registerWorkspaceCommands(program);
  registerCompletionCommand(program);
  return program;
}

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
ignoreClosedPipe(process.stdout);
ignoreClosedPipe(process.stderr);
process.exitCode = await main(process.argv);
