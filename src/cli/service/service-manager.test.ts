import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import {
  install,
  planInstall,
  type RunResult,
  type ServiceHost,
  serviceFile,
  status,
  uninstall,
} from './service-manager.js';
import type { ServiceSpec } from './unit-files.js';

/** A host with files in memory and scripted command answers, recording every argv. */
function fakeHost(platform: NodeJS.Platform, answer: (argv: string[]) => RunResult = () => ok('')) {
  const files = new Map<string, string>();
  const calls: string[][] = [];
  const host: ServiceHost = {
    platform,
    homedir: platform === 'darwin' ? '/Users/ann' : '/home/ann',
    xdgConfigHome: undefined,
    uid: 501,
    run: async (program, args) => {
      calls.push([program, ...args]);
      return answer([program, ...args]);
    },
    exists: (file) => files.has(file),
    writeFile: (file, text) => files.set(file, text),
    removeFile: (file) => files.delete(file),
  };
  return { host, files, calls };
}
const ok = (stdout: string): RunResult => ({ code: 0, stdout, stderr: '' });

const spec: ServiceSpec = {
  name: undefined,
  workingDirectory: '/work/widgets',
  programArguments: ['/usr/bin/node', '/opt/cm/main.js', 'run'],
  path: '/usr/bin:/bin',
  stopTimeoutSec: 35,
};

describe('the service on Linux (systemd user unit)', () => {
  it('lives under XDG_CONFIG_HOME when set, else ~/.config; a name gives a unit of its own', () => {
    const { host } = fakeHost('linux');
    expect(serviceFile(host, undefined)).toBe('/home/ann/.config/systemd/user/codex-monitor.service');
    expect(serviceFile({ ...host, xdgConfigHome: '/cfg' }, 'widgets')).toBe(
      '/cfg/systemd/user/codex-monitor-widgets.service',
    );
  });

  it('stops at the first failing command and reports it', async () => {
    const { host, calls } = fakeHost('linux', (argv) =>
      argv.includes('enable') ? { code: 1, stdout: '', stderr: 'no bus' } : ok(''),
    );
    const ran = await install(host, planInstall(host, spec), true);
    expect(calls).toEqual([
      ['systemctl', '--user', 'daemon-reload'],
      ['systemctl', '--user', 'enable', '--now', 'codex-monitor.service'],
    ]);
    expect(ran.at(-1)!.result).toMatchObject({ code: 1, stderr: 'no bus' });
  });
});

describe('the service on macOS (launchd agent)', () => {
  it('writes the plist, bootstraps it into the gui domain, replaces a loaded one, and removes it', async () => {
    const { host, files, calls } = fakeHost('darwin', (argv) =>
      argv[1] === 'print' ? ok('gui/501/dev.codex-monitor = {\n\tstate = running\n}') : ok(''),
    );
    const plan = planInstall(host, spec);
    expect(plan.file).toBe('/Users/ann/Library/LaunchAgents/dev.codex-monitor.plist');
    expect(plan.text).toContain('<string>/Users/ann/Library/Logs/dev.codex-monitor.log</string>');
    await install(host, plan, true);
    await install(host, plan, true);
    expect(calls).toEqual([
      ['launchctl', 'bootstrap', 'gui/501', plan.file],
      ['launchctl', 'bootout', 'gui/501/dev.codex-monitor'],
      ['launchctl', 'bootstrap', 'gui/501', plan.file],
    ]);
    expect(await status(host, undefined)).toMatchObject({ installed: true, running: true, state: 'running' });
    expect(await uninstall(host, undefined)).toMatchObject({ removed: true });
    expect(files.size).toBe(0);
    expect(calls.at(-1)).toEqual(['launchctl', 'bootout', 'gui/501/dev.codex-monitor']);
  });

  it('says "not loaded" when launchctl does not know it', async () => {
    const { host } = fakeHost('darwin', () => ({ code: 113, stdout: '', stderr: 'Could not find service' }));
    expect(await status(host, 'widgets')).toMatchObject({
      installed: false,
      running: false,
      state: 'not loaded',
    });
  });
});

it('refuses other platforms, saying what to do', () => {
  const { host } = fakeHost('win32');
  expect(() => planInstall(host, spec)).toThrow(InputError);
  expect(() => planInstall(host, spec)).toThrow(/run `codex-monitor run` under your own service manager/);
});
