import type { Command } from 'commander';
import { bashCompletion } from '../completion/bash.js';
import { commandTree } from '../completion/command-tree.js';
import { fishCompletion } from '../completion/fish.js';
import { zshCompletion } from '../completion/zsh.js';
import { withExamples } from '../examples.js';
import { noJson } from '../json-mode.js';

const SHELLS = { bash: bashCompletion, zsh: zshCompletion, fish: fishCompletion } as const;

export function registerCompletionCommand(program: Command): void {
  const completion = program
    .command('completion')
    .description('print a shell completion script (commands, subcommands, options) for bash, zsh or fish')
    .addArgument(program.createArgument('<shell>', 'bash, zsh or fish').choices(Object.keys(SHELLS)))
    .action((shell: keyof typeof SHELLS, _opts: unknown, cmd: Command) => {
      let root = cmd;
      while (root.parent) root = root.parent;
      process.stdout.write(SHELLS[shell](commandTree(root)));
    });
  noJson(completion, 'it prints a shell script');
  withExamples(completion, [
    [
      'codex-monitor completion bash > ~/.local/share/bash-completion/completions/codex-monitor',
      'bash, for good',
    ],
    ['source <(codex-monitor completion bash)', 'this bash session only'],
    ['codex-monitor completion zsh > ~/.zfunc/_codex-monitor', 'a directory on $fpath; then compinit'],
    ['codex-monitor completion fish > ~/.config/fish/completions/codex-monitor.fish'],
  ]);
}
