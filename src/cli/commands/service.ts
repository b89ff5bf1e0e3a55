import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../core/errors.js';
import { type GlobalOptions, readConfig } from '../context.js';
import { withExamples } from '../examples.js';
import { noJson } from '../json-mode.js';
import { printJson } from '../output/format.js';
import { terminalLine } from '../output/terminal-safe.js';
import { nodeServiceHost } from '../service/node-host.js';
import {
  install,
  planInstall,
  type Ran,
  type ServiceHost,
  status,
  uninstall,
} from '../service/service-manager.js';
import { stopTimeoutSec } from '../service/unit-files.js';

interface ServiceOptions {
  name?: string;
  start?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

const NAME = /^[A-Za-z0-9][\w.-]{0,63}$/;

/** `host`: the platform, home and command runner (tests pass their own). */
export function registerServiceCommands(
  program: Command,
  host: () => ServiceHost = () => nodeServiceHost(),
): void {
  const service = program
    .command('service')
    .description('run codex-monitor as a service: a systemd user unit (Linux) or a launchd agent (macOS)');
  noJson(service, 'its subcommands (install, uninstall, status) take --json');
  withExamples(service, [
    ['codex-monitor service install', "this directory's daemon, now and at login"],
    ['codex-monitor service status'],
  ]);
  const nameOption = ['--name <name>', 'a second daemon on this machine: codex-monitor-<name>'] as const;

  const installCmd = service
    .command('install')
    .description('write the unit (for this directory and its .env) and start it now and at login')
    .option(...nameOption)
    .option('--no-start', 'write the unit and reload the manager, but do not start it')
    .option('--dry-run', 'print the unit and the commands, change nothing')
    .option('--json', 'print JSON')
    .action(async (opts: ServiceOptions, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const json = Boolean(opts.json || globals.json);
      const say = (line: string) => (json ? undefined : process.stdout.write(`${line}\n`));
      const cwd = process.cwd();
      let executorProblem: string | undefined;
      // Refuses a configuration `run` would refuse; the executor's finding is a warning.
      const config = readConfig(globals, {}, { onExecutorProblem: (p) => (executorProblem ??= p) });
      const runArgs = globals.stateDir ? ['--state-dir', resolve(globals.stateDir), 'run'] : ['run'];
      const plan = planInstall(host(), {
        name: checkName(opts.name),
        workingDirectory: cwd,
        programArguments: [process.execPath, ...process.execArgv, resolve(process.argv[1] ?? ''), ...runArgs],
        path: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
        stopTimeoutSec: stopTimeoutSec(config.shutdownGraceMs, config.executor.killGraceMs),
      });
      const warnings = [
        ...(existsSync(join(cwd, '.env')) ? [] : [`no .env in ${cwd}: the service runs with the defaults`]),
        ...(executorProblem
          ? [`the daemon will refuse to start until this is fixed: ${executorProblem}`]
          : []),
      ];
      for (const w of warnings) process.stderr.write(`codex-monitor: warning: ${terminalLine(w)}\n`);
      if (opts.dryRun) {
        if (json) printJson({ ...plan, written: false, warnings });
        else say(`# ${plan.file}\n${plan.text}\n# then:\n${plan.start.map((a) => a.join(' ')).join('\n')}`);
        return;
      }
      const ran = await install(host(), plan, opts.start !== false);
      const failed = ran.find((r) => r.result === null || r.result.code !== 0);
      if (json) printJson({ ...plan, written: true, ran: ranJson(ran), warnings });
      else {
        say(`Wrote ${plan.file}`);
        for (const r of ran)
          say(`${r.result === null ? 'Could not run' : 'Ran'} ${r.argv.join(' ')}${outcome(r)}`);
        const pending = plan.start.slice(ran.length - (failed ? 1 : 0)).map((a) => a.join(' '));
        if (failed || opts.start === false) say(`To start it, run:\n  ${pending.join('\n  ')}`);
        if (plan.manager === 'systemd' && !failed)
          say('To keep it running while you are logged out: loginctl enable-linger "$USER"');
      }
      if (failed) process.exitCode = 1;
    });

  withExamples(installCmd, [
    ['codex-monitor service install'],
    ['codex-monitor service install --dry-run', 'print the unit, change nothing'],
    ['codex-monitor service install --name widgets', 'a second daemon, for another directory'],
  ]);

  const uninstallCmd = service
    .command('uninstall')
    .description('stop the service and remove its unit')
    .option(...nameOption)
    .option('--json', 'print JSON')
    .action(async (opts: ServiceOptions, cmd: Command) => {
      const json = Boolean(opts.json || cmd.optsWithGlobals<GlobalOptions>().json);
      const done = await uninstall(host(), checkName(opts.name));
      if (json) printJson({ ...done, ran: ranJson(done.ran) });
      else if (!done.removed) process.stdout.write(`Not installed: no ${done.file}\n`);
      else {
        for (const r of done.ran) process.stdout.write(`Ran ${r.argv.join(' ')}${outcome(r)}\n`);
        process.stdout.write(`Removed ${done.file}\n`);
      }
    });

  withExamples(uninstallCmd, [
    ['codex-monitor service uninstall'],
    ['codex-monitor service uninstall --name widgets'],
  ]);

  const statusCmd = service
    .command('status')
    .description('whether the service is installed and running (exit 0 when running, 1 otherwise)')
    .option(...nameOption)
    .option('--json', 'print JSON')
    .action(async (opts: ServiceOptions, cmd: Command) => {
      const json = Boolean(opts.json || cmd.optsWithGlobals<GlobalOptions>().json);
      const s = await status(host(), checkName(opts.name));
      if (json) printJson(s);
      else
        process.stdout.write(
          `${s.installed ? `installed: ${s.file}` : `not installed (no ${s.file})`}\n${s.manager}: ${s.state}\n`,
        );
      if (!s.running) process.exitCode = 1;
    });
  withExamples(statusCmd, [['codex-monitor service status'], ['codex-monitor service status --json']]);
}

function checkName(name: string | undefined): string | undefined {
  if (name === undefined || NAME.test(name)) return name;
  throw new InputError(
    `--name ${JSON.stringify(name)}: use letters, digits, . _ - (at most 64), e.g. --name widgets`,
  );
}

function outcome(r: Ran): string {
  if (r.result === null) return `: ${r.argv[0]} not found`;
  const err = r.result.stderr.trim();
  return r.result.code === 0 ? '' : `: exit ${r.result.code}${err ? ` (${terminalLine(err)})` : ''}`;
}

const ranJson = (ran: Ran[]) =>
  ran.map((r) => ({ argv: r.argv, found: r.result !== null, exitCode: r.result?.code ?? null }));
