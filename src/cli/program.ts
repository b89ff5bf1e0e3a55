/**
 * The command tree, apart from main.ts (which runs it when loaded) so a test can walk it: every
 * command has examples in its --help (tests/cli/help-examples.test.ts).
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { registerCompletionCommand } from './commands/completion.js';
import { registerDoctorCommand } from './commands/doctor.js';
import { registerEventCommands } from './commands/events.js';
import { registerHandCommands } from './commands/hands.js';
import { registerInitCommand } from './commands/init.js';
import { registerLogsCommand } from './commands/logs.js';
import { registerRunCommand } from './commands/run.js';
import { registerServeCommand } from './commands/serve.js';
import { registerServiceCommands } from './commands/service.js';
import { registerStateCommands } from './commands/state.js';
import { registerStatusCommand } from './commands/status.js';
import { registerSteeringCommands } from './commands/steer.js';
import { registerTaskCommands } from './commands/tasks.js';
import { registerWorkspaceCommands } from './commands/workspaces.js';
import { withExamples } from './examples.js';
import { refuseJsonWhereUnsupported } from './json-mode.js';

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
    .option('--json', 'print JSON where the command supports it (a command without JSON output refuses it)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  withExamples(program, [
    [
      'codex-monitor tasks seed examples/dag.yaml && codex-monitor run',
      'the local board: seed tasks, then work them',
    ],
    ['codex-monitor status --json', 'what runs, what waits, as JSON'],
    ['codex-monitor logs publish --follow', "follow a task's latest attempt"],
  ]);
  refuseJsonWhereUnsupported(program);
  registerRunCommand(program);
  registerStatusCommand(program);
  registerServeCommand(program);
  registerTaskCommands(program);
  registerSteeringCommands(program);
  registerHandCommands(program);
  registerDoctorCommand(program);
  registerInitCommand(program);
  registerServiceCommands(program);
  registerStateCommands(program);
  registerEventCommands(program);
  registerLogsCommand(program);
  registerWorkspaceCommands(program);
  registerCompletionCommand(program);
  return program;
}
