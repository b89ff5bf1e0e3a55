/**
 * Installs, removes and inspects the service on this machine: a systemd user unit on Linux,
 * a launchd agent on macOS. Everything the platform decides (which, where, which commands)
 * goes through `ServiceHost`, so both are tested on one machine with fake tools.
 */
import { join } from 'node:path';
import { InputError } from '../../core/errors.js';
import { launchdLabel, launchdPlist, type ServiceSpec, systemdUnit, unitName } from './unit-files.js';

/** A command's outcome, or null when the program is not there (ENOENT). */
export type RunResult = { code: number; stdout: string; stderr: string } | null;

export interface ServiceHost {
  platform: NodeJS.Platform;
  homedir: string;
  /** XDG_CONFIG_HOME, when set. */
  xdgConfigHome: string | undefined;
  uid: number;
  run(program: string, args: readonly string[]): Promise<RunResult>;
  exists(file: string): boolean;
  writeFile(file: string, text: string): void;
  removeFile(file: string): void;
}

export interface ServicePlan {
  manager: 'systemd' | 'launchd';
  file: string;
  text: string;
  /** The commands that load and start it, in order (argv). */
  start: string[][];
}

type Kind = ServicePlan['manager'];

function managerFor(host: ServiceHost): Kind {
  if (host.platform === 'linux') return 'systemd';
  if (host.platform === 'darwin') return 'launchd';
  throw new InputError(
    `service supports Linux (systemd) and macOS (launchd), not ${host.platform}: run \`codex-monitor run\` under your own service manager`,
  );
}

/** Where the unit or agent file of `name` lives. */
export function serviceFile(host: ServiceHost, name: string | undefined): string {
  if (managerFor(host) === 'systemd') {
    const config = host.xdgConfigHome?.trim() ? host.xdgConfigHome : join(host.homedir, '.config');
    return join(config, 'systemd', 'user', unitName(name));
  }
  return join(host.homedir, 'Library', 'LaunchAgents', `${launchdLabel(name)}.plist`);
}

/** The file to write and the commands that start it. */
export function planInstall(host: ServiceHost, spec: ServiceSpec): ServicePlan {
  if (/[\r\n]/.test(spec.workingDirectory) || spec.programArguments.some((a) => /[\r\n]/.test(a))) {
    throw new InputError('service install: the working directory and the program path must be one line each');
  }
  const file = serviceFile(host, spec.name);
  if (managerFor(host) === 'systemd') {
    return {
      manager: 'systemd',
      file,
      text: systemdUnit(spec),
      start: [systemctl('daemon-reload'), systemctl('enable', '--now', unitName(spec.name))],
    };
  }
  const log = join(host.homedir, 'Library', 'Logs', `${launchdLabel(spec.name)}.log`);
  return {
    manager: 'launchd',
    file,
    text: launchdPlist(spec, log),
    start: [['launchctl', 'bootstrap', `gui/${host.uid}`, file]],
  };
}

const systemctl = (...args: string[]) => ['systemctl', '--user', ...args];

/** The outcome of running a plan's commands: each command and its result, stopping at the first failure. */
export interface Ran {
  argv: string[];
  result: RunResult;
}

export async function runAll(host: ServiceHost, commands: readonly string[][]): Promise<Ran[]> {
  const ran: Ran[] = [];
  for (const argv of commands) {
    const result = await host.run(argv[0]!, argv.slice(1));
    ran.push({ argv, result });
    if (result === null || result.code !== 0) break;
  }
  return ran;
}

/** Writes the file, then (unless `start` is false) runs the commands that load and start it. */
export async function install(host: ServiceHost, plan: ServicePlan, start: boolean): Promise<Ran[]> {
  if (plan.manager === 'launchd' && host.exists(plan.file)) {
    // A loaded agent is not reloaded by bootstrap: take the old one out first (absent: fine).
    await host.run('launchctl', ['bootout', `gui/${host.uid}/${labelOf(plan.file)}`]);
  }
  host.writeFile(plan.file, plan.text);
  const commands = start ? plan.start : plan.start.filter((argv) => argv.includes('daemon-reload'));
  return runAll(host, commands);
}

/** Stops and unloads the service, then removes its file. Nothing installed: nothing to do. */
export async function uninstall(
  host: ServiceHost,
  name: string | undefined,
): Promise<{ file: string; removed: boolean; ran: Ran[] }> {
  const file = serviceFile(host, name);
  if (!host.exists(file)) return { file, removed: false, ran: [] };
  const ran: Ran[] = [];
  // Stopping may fail (never started, manager absent): the file goes anyway.
  if (managerFor(host) === 'systemd') {
    ran.push(...(await runAll(host, [systemctl('disable', '--now', unitName(name))])));
    host.removeFile(file);
    ran.push(...(await runAll(host, [systemctl('daemon-reload')])));
  } else {
    ran.push(...(await runAll(host, [['launchctl', 'bootout', `gui/${host.uid}/${launchdLabel(name)}`]])));
    host.removeFile(file);
  }
  return { file, removed: true, ran };
}

export interface ServiceStatus {
  manager: Kind;
  file: string;
  installed: boolean;
  /** systemd: is-active's answer (active, inactive, failed, …); launchd: running, loaded, not loaded. */
  state: string;
  running: boolean;
}

export async function status(host: ServiceHost, name: string | undefined): Promise<ServiceStatus> {
  const manager = managerFor(host);
  const file = serviceFile(host, name);
  const installed = host.exists(file);
  if (manager === 'systemd') {
    const result = await host.run('systemctl', ['--user', 'is-active', unitName(name)]);
    const state = result === null ? 'unknown (systemctl not found)' : result.stdout.trim() || 'unknown';
    return { manager, file, installed, state, running: state === 'active' };
  }
  const result = await host.run('launchctl', ['print', `gui/${host.uid}/${launchdLabel(name)}`]);
  if (result === null)
    return { manager, file, installed, state: 'unknown (launchctl not found)', running: false };
  if (result.code !== 0) return { manager, file, installed, state: 'not loaded', running: false };
  const running = /^\s*state = running\s*$/m.test(result.stdout);
  return { manager, file, installed, state: running ? 'running' : 'loaded, not running', running };
}

function labelOf(plistFile: string): string {
  return plistFile.replace(/^.*\//, '').replace(/\.plist$/, '');
}
