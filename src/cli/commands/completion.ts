import type { Command } from 'commander';
import { bashCompletion } from '../completion/bash.js';
import { commandTree } from '../completion/command-tree.js';
import { fishCompletion } from '../completion/fish.js';
import { zshCompletion } from '../completion/zsh.js';

const SHELLS = { bash: bashCompletion, zsh: zshCompletion, fish: fishCompletion } as const;

export function registerCompletionCommand(program: Command): void {
  program
    .command('completion')
    .description('print a shell completion script (commands, subcommands, options) for bash, zsh or fish')
    .addArgument(program.createArgument('<shell>', 'bash, zsh or fish').choices(Object.keys(SHELLS)))
    .addHelpText(
      'after',
      `
Examples:
  source <(codex-monitor completion bash)     # this bash session; add the line to ~/.bashrc to keep it
  codex-monitor completion zsh > "\${fpath[1]}/_codex-monitor"
  codex-monitor completion fish > ~/.config/fish/completions/codex-monitor.fish`,
    )
    .action((shell: keyof typeof SHELLS, _opts: unknown, cmd: Command) => {
      let root = cmd;
      while (root.parent) root = root.parent;
      process.stdout.write(SHELLS[shell](commandTree(root)));
    });
}
