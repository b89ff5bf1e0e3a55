import type { Command } from 'commander';

/** One command as completions see it: its words, its options and its subcommands. */
export interface CommandNode {
  name: string;
  description: string;
  options: OptionNode[];
  subcommands: CommandNode[];
  /** The values its first argument allows (`completion <shell>`: bash, zsh, fish), if limited. */
  argumentChoices: string[];
}

export interface OptionNode {
  /** `--state-dir`, and the short form when there is one (`-V`). */
  long?: string;
  short?: string;
  description: string;
  /** Takes a value in the next word (`--task <id>`); an optional value (`--watch [2s]`) does not. */
  takesValue: boolean;
  /** The values it allows, if limited (commander's `.choices()`). */
  choices?: string[];
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
      ...(option.argChoices ? { choices: option.argChoices } : {}),
    })),
    subcommands: help.visibleCommands(command).map((sub) => commandTree(sub)),
    argumentChoices: command.registeredArguments[0]?.argChoices ?? [],
  };
}

/** Every node with the names leading to it: [] for the program, ['events', 'replay'], ... */
export function* walk(node: CommandNode, path: string[] = []): Generator<[string[], CommandNode]> {
  yield [path, node];
  for (const sub of node.subcommands) yield* walk(sub, [...path, sub.name]);
}

/**
 * The options that apply at a node: its own and the program's (commander reads those after a
 * subcommand too), but not `--version`, which is the program's alone.
 */
export function optionsAt(tree: CommandNode, node: CommandNode): OptionNode[] {
  const inherited = node === tree ? [] : tree.options.filter((o) => o.long !== '--version');
  const seen = new Set<string>();
  return [...node.options, ...inherited].filter((o) => {
    const word = o.long ?? o.short ?? '';
    if (seen.has(word)) return false;
    seen.add(word);
    return true;
  });
}

/** The words that name options: `-V`, `--version`, `--json`. */
export function optionWords(options: readonly OptionNode[]): string[] {
  return options.flatMap((o) => [o.short, o.long].filter((w): w is string => w !== undefined));
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}
