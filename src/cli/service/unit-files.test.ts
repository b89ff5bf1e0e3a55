import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../tests/support/temp-dir.js';
import { launchdPlist, type ServiceSpec, stopTimeoutSec, systemdUnit, systemdWord } from './unit-files.js';

const tempDir = useTempDirs();

const spec = (over: Partial<ServiceSpec> = {}): ServiceSpec => ({
  name: undefined,
  workingDirectory: '/home/ann/widgets',
  programArguments: [process.execPath, '/opt/codex-monitor/dist/cli/main.js', 'run'],
  path: '/home/ann/.local/bin:/usr/bin:/bin',
  stopTimeoutSec: stopTimeoutSec(15_000, 5_000),
  ...over,
});

/** Whether systemd-analyze is there to check a unit (it is on Linux CI and this machine). */
const analyze = spawnSync('systemd-analyze', ['--version']).status === 0;
const python = spawnSync('python3', ['-c', 'import plistlib']).status === 0;
const SKIP_ANALYZE = ' (skipped: systemd-analyze is not installed here)';
const SKIP_PYTHON = ' (skipped: python3 with plistlib is not installed here; the XML check above still runs)';

describe('the systemd user unit', () => {
  it('runs `run` in the project directory, restarts on failure, stops with SIGTERM in time', () => {
    const unit = systemdUnit(spec());
    expect(unit).toContain('WorkingDirectory=/home/ann/widgets\n');
    expect(unit).toContain(`ExecStart=${process.execPath} /opt/codex-monitor/dist/cli/main.js run\n`);
    expect(unit).toContain('Environment=PATH=/home/ann/.local/bin:/usr/bin:/bin\n');
    expect(unit).toMatch(/^Restart=on-failure$/m);
    expect(unit).toMatch(/^RestartPreventExitStatus=2$/m);
    expect(unit).toMatch(/^KillSignal=SIGTERM$/m);
    expect(unit).toMatch(/^TimeoutStopSec=35$/m); // 15 s grace + 5 s kill grace + 15 s margin
    expect(unit).toMatch(/^WantedBy=default.target$/m);
    expect(unit).not.toMatch(/TOKEN|KEY/i);
  });

  it('quotes words with spaces, and escapes % and $ as systemd reads them', () => {
    expect(systemdWord('/opt/my app/main.js', true)).toBe('"/opt/my app/main.js"');
    expect(systemdWord('50%', true)).toBe('50%%');
    expect(systemdWord('$HOME', true)).toBe('$$HOME');
    expect(systemdWord('PATH=/a b:$x', false)).toBe('"PATH=/a b:$x"');
    expect(systemdWord('say "hi"\\', true)).toBe('"say \\"hi\\"\\\\"');
  });

  (analyze ? it : it.skip)(
    `passes systemd-analyze verify, odd paths included${analyze ? '' : SKIP_ANALYZE}`,
    () => {
      const dir = join(tempDir(), 'my 100% project');
      execFileSync('mkdir', ['-p', dir]);
      const file = join(dir, 'codex-monitor-test.service');
      writeFileSync(file, systemdUnit(spec({ workingDirectory: dir, path: `${dir}:/usr/bin` })));
      const result = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    },
  );
});

describe('the launchd agent', () => {
  const plist = launchdPlist(
    spec({ name: 'widgets', workingDirectory: '/Users/ann/a & <b>' }),
    '/Users/ann/Library/Logs/dev.codex-monitor.widgets.log',
  );

  it('is well-formed XML with the keys launchd needs', () => {
    expect(wellFormed(plist)).toBe(true);
    expect(plist).toContain('<key>Label</key><string>dev.codex-monitor.widgets</string>');
    expect(plist).toContain('<key>WorkingDirectory</key><string>/Users/ann/a &#38; &#60;b&#62;</string>');
    expect(plist).toMatch(/<key>KeepAlive<\/key>\s*<dict><key>SuccessfulExit<\/key><false\/><\/dict>/);
    expect(plist).toContain('<key>ExitTimeOut</key><integer>35</integer>');
  });

  (python ? it : it.skip)(
    `parses as a property list (Python plistlib, as plutil would)${python ? '' : SKIP_PYTHON}`,
    () => {
      const parsed = JSON.parse(
        execFileSync(
          'python3',
          ['-c', 'import plistlib,sys,json; print(json.dumps(plistlib.loads(sys.stdin.buffer.read())))'],
          {
            input: plist,
            encoding: 'utf8',
          },
        ),
      );
      expect(parsed).toEqual({
        Label: 'dev.codex-monitor.widgets',
        ProgramArguments: [process.execPath, '/opt/codex-monitor/dist/cli/main.js', 'run'],
        WorkingDirectory: '/Users/ann/a & <b>',
        EnvironmentVariables: { PATH: '/home/ann/.local/bin:/usr/bin:/bin' },
        RunAtLoad: true,
        KeepAlive: { SuccessfulExit: false },
        ExitTimeOut: 35,
        StandardOutPath: '/Users/ann/Library/Logs/dev.codex-monitor.widgets.log',
        StandardErrorPath: '/Users/ann/Library/Logs/dev.codex-monitor.widgets.log',
      });
    },
  );
});

/** Tags balance, attributes quoted, no raw & or < in text: enough to catch a broken plist. */
function wellFormed(xml: string): boolean {
  const body = xml.replace(/^<\?xml[^>]*\?>\s*<!DOCTYPE[^>]*>\s*/, '').replace(/<!--[\s\S]*?-->/g, '');
  const stack: string[] = [];
  for (const token of body.split(/(<[^>]*>)/).filter(Boolean)) {
    if (!token.startsWith('<')) {
      if (/[<>]|&(?!#\d+;|amp;|lt;|gt;|quot;|apos;)/.test(token)) return false;
    } else if (token.endsWith('/>')) continue;
    else if (token.startsWith('</')) {
      if (stack.pop() !== token.slice(2, -1)) return false;
    } else stack.push(token.slice(1, -1).split(/\s/)[0]!);
  }
  return stack.length === 0;
}
