import { resolve } from 'node:path';
import type { Command } from 'commander';
import { errorMessage } from '../../core/errors.js';
import { redactUrl } from '../../core/redact.js';
import { type GlobalOptions, readConfig } from '../context.js';
import { withExamples } from '../examples.js';
import { type Chosen, type InitFlags, resolveChoices } from '../init/choices.js';
import { envValues, initEnvText, writeEnvFile } from '../init/env-file.js';
import { createCodexLabels, type LabelsResult } from '../init/labels.js';
import { promptAsker } from '../init/prompt.js';
import { printJson } from '../output/format.js';
import { terminalLine } from '../output/terminal-safe.js';
import { doctorChecks, printChecks } from './doctor.js';

interface InitOptions extends InitFlags {
  force?: boolean;
  json?: boolean;
}

export function registerInitCommand(program: Command): void {
  const init = program
    .command('init')
    .description(
      'write a commented .env for a board (asking on a terminal, flags otherwise), create the codex:* labels on GitHub, then run doctor',
    )
    .option('--board <board>', 'local or github (default: github with --repo, else local)')
    .option('--repo <owner/name>', 'the GitHub repository whose issues are the tasks')
    .option('--executor <executor>', 'codex, claude, shell or noop (GitHub; default codex)')
    .option('--executor-command <command>', 'the command the shell executor runs for every task')
    .option('--force', 'overwrite an existing .env')
    .option('--json', 'print what was done as JSON')
    .action(async (opts: InitOptions, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const json = Boolean(opts.json || globals.json);
      const file = resolve('.env');
      const say = (line: string) => {
        if (!json) process.stdout.write(`${line}\n`);
      };
      // Questions only when someone can answer them; otherwise flags and defaults, said aloud.
      const terminal = Boolean(process.stdin.isTTY && process.stdout.isTTY) && !json;
      const prompt = terminal ? promptAsker(process.stdin, process.stdout) : undefined;
      const { choices, chosen } = await resolveChoices(opts, prompt?.ask).finally(() => prompt?.close());
      if (!terminal) for (const c of chosen) say(describe(c));
      const values = envValues(choices);
      writeEnvFile(file, initEnvText(choices), Boolean(opts.force));
      say(`Wrote ${file}`);

      let labels: LabelsResult | { error: string } | undefined;
      if (choices.board === 'github') {
        // The new .env is read as every command reads it (real environment variables win).
        const config = readConfig(globals, {}, { onExecutorProblem: () => {} });
        labels = await createCodexLabels(config).catch((error: unknown) => ({
          error: redactUrl(errorMessage(error)),
        }));
        if ('error' in labels) say(`Labels not created: ${terminalLine(labels.error)}`);
        else
          say(
            labels.created.length > 0
              ? `Created labels ${labels.created.join(', ')}`
              : 'Labels: every codex:* label exists already',
          );
      }
      say('\ncodex-monitor doctor:');
      const checks = await doctorChecks(globals);
      if (json) printJson({ file, chosen, values, labels: labels ?? null, doctor: checks });
      else printChecks(checks, false);
      if (checks.some((c) => !c.ok) || (labels !== undefined && 'error' in labels)) process.exitCode = 1;
    });
  withExamples(init, [
    ['codex-monitor init', 'asks on a terminal; defaults otherwise'],
    ['codex-monitor init --board local'],
    ['codex-monitor init --repo acme/widgets --executor claude', 'GitHub issues, worked by Claude Code'],
  ]);
}

function describe(c: Chosen): string {
  const how = c.how === 'flag' ? 'from the flag' : c.how === 'answer' ? 'your answer' : 'the default';
  const hint =
    c.how === 'default' && c.setting === 'board'
      ? '; --board github --repo owner/name for GitHub issues'
      : c.how === 'default' && c.setting === 'executor'
        ? '; --executor to choose another'
        : '';
  return `${c.setting}: ${terminalLine(c.value)} (${how}${hint})`;
}
