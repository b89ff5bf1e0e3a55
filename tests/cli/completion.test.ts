import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliCommand, runCli } from '../support/cli.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const has = (shell: string) => spawnSync(shell, ['-c', 'exit 0']).status === 0;

/** bash without the user's startup files. */
function bash(script: string, args: string[] = []) {
  return spawnSync('bash', ['--norc', '--noprofile', '-c', script, 'bash', ...args], {
    env: { PATH: process.env.PATH, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
  });
}
const LOAD = `source <(${cliCommand('completion', 'bash')})`;

describe('codex-monitor completion', () => {
  it('bash: the script loads, and completes commands and their options from the command tree', () => {
    const loaded = bash(`${LOAD} && complete -p codex-monitor`);
    expect(loaded.stderr).toBe('');
    expect(loaded.stdout).toBe('complete -o default -F _codex_monitor codex-monitor\n');
    const offers = (...words: string[]) => {
      const run = bash(
        `${LOAD} && COMP_WORDS=("$@") && COMP_CWORD=$(($# - 1)) && _codex_monitor && printf '%s\\n' "\${COMPREPLY[@]}"`,
        words,
      );
      expect(run.stderr).toBe('');
      return run.stdout.split('\n').filter(Boolean);
    };
    expect(offers('codex-monitor', 'ev')).toEqual(['events']);
    expect(offers('codex-monitor', 'events', '--')).toEqual(
      expect.arrayContaining([
        '--task',
        '--owner',
        '--type',
        '--since',
        '--limit',
        '--json',
        '--help',
        '--state-dir',
      ]),
    );
    expect(offers('codex-monitor', 'events', '')).toEqual(['replay', 'export', 'stats']);
    expect(offers('codex-monitor', 'completion', '--')).toEqual(['--help', '--state-dir', '--json']);
    expect(offers('codex-monitor', 'completion', '')).toEqual(['bash', 'zsh', 'fish']);
  });

  it.each([
    ['zsh', '#compdef codex-monitor\n', "'root events' 'replay export stats'"],
    [
      'fish',
      '# fish completion for codex-monitor',
      "complete -c codex-monitor -n '__codex_monitor_at \\'root events\\''",
    ],
  ])(
    '%s: a script for the whole tree, syntax-checked where the shell is installed',
    async (shell, start, line) => {
      const { code, stdout } = await runCli(['completion', shell]);
      expect(code).toBe(0);
      expect(stdout.startsWith(start)).toBe(true);
      expect(stdout).toContain(line);
      if (!has(shell)) return;
      const file = join(tempDir(), `completion.${shell}`);
      writeFileSync(file, stdout);
      const check = spawnSync(shell, ['-n', file], { encoding: 'utf8' });
      expect(check.stderr).toBe('');
      expect(check.status).toBe(0);
    },
  );

  it('refuses a shell it has no script for, naming the ones it has', async () => {
    const { code, stderr } = await runCli(['completion', 'powershell']);
    expect(code).toBe(2);
    expect(stderr).toContain(
      "'powershell' is invalid for argument 'shell'. Allowed choices are bash, zsh, fish.",
    );
  });
});
