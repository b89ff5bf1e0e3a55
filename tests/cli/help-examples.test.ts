import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { commandPath } from '../../src/cli/json-mode.js';
import { buildProgram } from '../../src/cli/program.js';

/** Every command of the tree, the program itself first. */
function walk(cmd: Command): Command[] {
  return [cmd, ...cmd.commands.flatMap(walk)];
}

/** What `<command> --help` prints, captured in process. */
function helpOf(cmd: Command): string {
  const parts: string[] = [];
  const collect = (s: string) => {
    parts.push(s);
  };
  cmd.configureOutput({ writeOut: collect, writeErr: collect });
  cmd.outputHelp();
  return parts.join('');
}

describe('--help of every command', () => {
  it('ends with at least one example of that very command', () => {
    const commands = walk(buildProgram());
    expect(commands.length).toBeGreaterThan(15);
    const missing = commands
      .map((cmd) => ({ path: `codex-monitor ${commandPath(cmd)}`.trim(), help: helpOf(cmd) }))
      .filter(({ path, help }) => {
        // withExamples writes "Examples:"; a command's own help text may say "Example:".
        const examples = help.split(/\nExamples?:\n/)[1];
        return examples === undefined || !examples.includes(`$ ${path}`);
      })
      .map(({ path }) => path);
    expect(missing, 'commands whose --help has no example (add one with withExamples)').toEqual([]);
  });
});
