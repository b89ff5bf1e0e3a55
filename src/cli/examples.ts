/**
 * Every command's --help ends with examples (as gh, kubectl and docker do): one helper so they
 * all look alike. tests/cli/help-examples.test.ts walks the command tree and fails for a
 * command whose help has none.
 */
import type { Command } from 'commander';

/** A command line, and optionally what it does (printed as a comment above it). */
export type Example = readonly [command: string, what?: string];

/** Appends an "Examples:" section to `cmd`'s --help. */
export function withExamples(cmd: Command, examples: readonly Example[]): Command {
  const lines = examples.flatMap(([command, what]) => [...(what ? [`  # ${what}`] : []), `  $ ${command}`]);
  return cmd.addHelpText('after', `\nExamples:\n${lines.join('\n')}\n`);
}

/** The subcommand `name` of `parent` (to add examples after a chain that registered it). */
export function subcommand(parent: Command, name: string): Command {
  const found = parent.commands.find((c) => c.name() === name);
  if (!found) throw new Error(`no command ${name} under ${parent.name()}`);
  return found;
}
