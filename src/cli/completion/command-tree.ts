import type { Command } from 'commander';

/** One command as completions see it: its words, its options and its subcommands. */
export interface CommandNode {
  name: string;
  description: string;
  options: OptionNode[];
  subcommands: CommandNode[];
}

export interface OptionNode {
  /** `--state-dir`, and the short form when there is one (`-V`). */
  long?: string;
  short?: string;
  description: string;
  /** Takes a value in the next word (`--task <id>`); an optional value (`--watch [2s]`) does not. */
  takesValue: boolean;
}

/**
 * The command tree of a commander program, as its help shows it (hidden commands and options
 * left out, `-h, --help` and the `help` command included): completions are generated from it,
 * so a new command or option is completed without anyone remembering to.
 */
export function commandTree(command: Command): CommandNode {
  const help = command.createHelp();
  return {
    name: command.name(),
    description: firstLine(command.description()),
    options: help.visibleOptions(command).map((option) => ({
      ...(option.long ? { long: option.long } : {}),
      ...(option.short ? { short: option.short } : {}),
      description: firstLine(option.description),
      takesValue: option.required,
    })),
    subcommands: help.visibleCommands(command).map((sub) => commandTree(sub)),
  };
}

/** Every node with the names leading to it: [] for the program, ['events', 'replay'], ... */
export function* walk(node: CommandNode, path: string[] = []): Generator<[string[], CommandNode]> {
  yield [path, node];
  for (const sub of node.subcommands) yield* walk(sub, [...path, sub.name]);
}

/** The option words of a node: `--json`, `-V`, `--version`. */
export function optionWords(node: CommandNode): string[] {
  return node.options.flatMap((o) => [o.short, o.long].filter((w): w is string => w !== undefined));
}

/** The option words that take the next word as their value. */
export function valueOptionWords(node: CommandNode): string[] {
  return optionWords({ ...node, options: node.options.filter((o) => o.takesValue) });
}

/** A node's own options and the program's (commander reads those after a subcommand too). */
export function inheritedOptions(
  tree: CommandNode,
  node: CommandNode,
  words: (node: CommandNode) => string[],
): string[] {
  const global =
    node === tree ? [] : words({ ...tree, options: tree.options.filter((o) => o.long !== '--version') });
  return [...new Set([...words(node), ...global])];
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}
