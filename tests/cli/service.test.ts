/**
 * `codex-monitor service` on Linux, end to end: the real CLI writes the unit under
 * XDG_CONFIG_HOME and drives a fake `systemctl` on PATH that records its argv.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, runCli } from '../support/cli.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();

/** A project dir with a .env, a config home, and a `systemctl` that logs and answers `is-active`. */
function machine(withSystemctl = true) {
  const root = tempDir();
  const project = join(root, 'widgets');
  const bin = join(root, 'bin');
  const log = join(root, 'systemctl.log');
  mkdirSync(project);
  mkdirSync(bin);
  writeFileSync(join(project, '.env'), 'SHUTDOWN_GRACE_MS=20000\nEXECUTOR_KILL_GRACE_MS=2000\n');
  if (withSystemctl) {
    writeFileSync(
      join(bin, 'systemctl'),
      `#!/bin/sh\necho "$*" >> '${log}'\ncase "$*" in *is-active*) if [ -f '${root}/active' ]; then echo active; else echo inactive; exit 3; fi;; esac\n`,
    );
    chmodSync(join(bin, 'systemctl'), 0o755);
  }
  const env = { HOME: root, XDG_CONFIG_HOME: join(root, 'xdg'), PATH: bin };
  const unit = join(root, 'xdg', 'systemd', 'user', 'codex-monitor.service');
  const calls = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);
  return {
    root,
    project,
    env,
    unit,
    calls,
    run: (args: string[]) => runCli(['service', ...args], { cwd: project, env }),
  };
}

describe('codex-monitor service (Linux, systemd --user)', () => {
  it('installs the unit for this directory, enables and starts it, reports it, and uninstalls it', async () => {
    const m = machine();
    const installed = await m.run(['install']);
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.stdout).toContain(`Wrote ${m.unit}`);
    const unit = readFileSync(m.unit, 'utf8');
    expect(unit).toContain(`WorkingDirectory=${m.project}\n`);
    expect(unit).toMatch(
      new RegExp(`^ExecStart=${process.execPath} .*${CLI.replace(/[.*]/g, '\\$&')} run$`, 'm'),
    );
    expect(unit).toMatch(/^TimeoutStopSec=37$/m); // from the project's .env: 20 s + 2 s + 15 s
    expect(m.calls()).toEqual(['--user daemon-reload', '--user enable --now codex-monitor.service']);
    if (spawnSync('systemd-analyze', ['--version']).status === 0) {
      // The unit the CLI wrote, as systemd reads it (the unit tests cover odd paths; this, the real flags).
      const verified = spawnSync('systemd-analyze', ['verify', m.unit], { encoding: 'utf8' });
      expect(verified.stderr).toBe('');
      expect(verified.status).toBe(0);
    }

    expect((await m.run(['status'])).code).toBe(1);
    writeFileSync(join(m.root, 'active'), '');
    const running = await m.run(['status', '--json']);
    expect(running.code).toBe(0);
    expect(JSON.parse(running.stdout)).toMatchObject({
      manager: 'systemd',
      installed: true,
      state: 'active',
    });

    const removed = await m.run(['uninstall']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(existsSync(m.unit)).toBe(false);
    expect(m.calls().slice(-2)).toEqual([
      '--user disable --now codex-monitor.service',
      '--user daemon-reload',
    ]);
    expect((await m.run(['uninstall'])).stdout).toBe(`Not installed: no ${m.unit}\n`);
  });

  it('--dry-run prints the unit and the commands and changes nothing', async () => {
    const m = machine();
    const result = await m.run(['install', '--dry-run', '--name', 'widgets']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('codex-monitor-widgets.service');
    expect(result.stdout).toMatch(/^Restart=on-failure$/m);
    expect(result.stdout).toContain('systemctl --user enable --now codex-monitor-widgets.service');
    expect(existsSync(join(m.root, 'xdg'))).toBe(false);
    expect(m.calls()).toEqual([]);
  });

  it('--no-start writes and reloads only, and says how to start it', async () => {
    const m = machine();
    const result = await m.run(['install', '--no-start']);
    expect(result.code, result.stderr).toBe(0);
    expect(m.calls()).toEqual(['--user daemon-reload']);
    expect(result.stdout).toContain(
      'To start it, run:\n  systemctl --user enable --now codex-monitor.service',
    );
  });

  it('without systemctl writes the unit and says what to run (exit 1)', async () => {
    const m = machine(false);
    const result = await m.run(['install']);
    expect(result.code).toBe(1);
    expect(existsSync(m.unit)).toBe(true);
    expect(result.stdout).toContain('systemctl not found');
    expect(result.stdout).toContain(
      'To start it, run:\n  systemctl --user daemon-reload\n  systemctl --user enable --now codex-monitor.service',
    );
  });

  it('refuses a bad --name, naming it', async () => {
    const result = await machine().run(['install', '--name', '../x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--name "\.\.\/x": use letters/);
  });
});
