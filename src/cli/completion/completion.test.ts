import { spawnSync } from 'node:child_process';
import { Argument, Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { bashCompletion } from './bash.js';
import { commandTree } from './command-tree.js';
import { fishCompletion } from './fish.js';
import { zshCompletion } from './zsh.js';

function program(): Command {
  const root = new Command('tool').option('--state-dir <dir>', 'state').version('1', '-V, --version');
  root
    .command('ship')
    .description("ships it: the 'best' way\nsecond line")
    .option('--to <where>', 'target')
    .addOption(new Option('--mode <how>', 'how').choices(['fast', 'safe']))
    .addArgument(new Argument('[speed]').choices(['slow', 'quick']));
  const box = root.command('box').description('boxes');
  box.command('open').option('--force', 'really').addOption(new Option('--secret', 'hidden').hideHelp());
  return root;
}

/** What bash offers for the words typed so far (the last one being completed). */
function bashOffers(script: string, words: string[]): string[] {
  const run = spawnSync(
    'bash',
    [
      '--norc',
      '--noprofile',
      '-c',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a bash array, not a template
      'source <(printf "%s" "$SCRIPT"); COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _tool; printf "%s\\n" "${COMPREPLY[@]}"',
      'bash',
      ...words,
    ],
    { env: { PATH: process.env.PATH, SCRIPT: script }, encoding: 'utf8' },
  );
  expect(run.stderr).toBe('');
  return run.stdout.split('\n').filter(Boolean);
}

describe('commandTree', () => {
  it('walks commands, subcommands and their visible options', () => {
    const tree = commandTree(program());
    expect(tree.subcommands.map((c) => c.name)).toEqual(['ship', 'box', 'help']);
    const ship = tree.subcommands[0]!;
    expect(ship.description).toBe("ships it: the 'best' way");
    expect(ship.options).toContainEqual({ long: '--to', description: 'target', takesValue: true });
    const open = tree.subcommands[1]!.subcommands[0]!;
    expect(open.options.map((o) => o.long)).toEqual(['--force', '--help']);
  });
});

describe('bashCompletion', () => {
  const script = bashCompletion(commandTree(program()));

  it('completes commands, subcommands and options at the right depth', () => {
    expect(bashOffers(script, ['tool', 'sh'])).toEqual(['ship']);
    expect(bashOffers(script, ['tool', 'box', ''])).toEqual(['open', 'help']);
    expect(bashOffers(script, ['tool', 'box', 'open', '--'])).toEqual(['--force', '--help', '--state-dir']);
    expect(bashOffers(script, ['tool', '--'])).toEqual(['--state-dir', '--version', '--help']);
  });

  it("skips an option's value, so a value that is a command name is not taken for one", () => {
    expect(bashOffers(script, ['tool', '--state-dir', 'box', ''])).toEqual(['ship', 'box', 'help']);
    expect(bashOffers(script, ['tool', '--state-dir=box', 'box', ''])).toEqual(['open', 'help']);
    // The value itself is left to bash's default (file) completion.
    expect(bashOffers(script, ['tool', 'ship', '--to', ''])).toEqual([]);
  });

  it('offers the values an option or an argument allows', () => {
    expect(bashOffers(script, ['tool', 'ship', '--mode', ''])).toEqual(['fast', 'safe']);
    expect(bashOffers(script, ['tool', 'ship', '--mode', 'fast', 'q'])).toEqual(['quick']);
  });
});

describe('zshCompletion and fishCompletion', () => {
  const tree = commandTree(program());

  it('zsh: a #compdef function with each path and its options described', () => {
    const script = zshCompletion(tree);
    expect(script.startsWith('#compdef tool\n')).toBe(true);
    expect(script).toContain(`'root box' 'open help'`);
    expect(script).toContain(`'root ship' '--to --mode --state-dir'`);
    expect(script).toContain(`'root ship --mode' 'fast safe'`);
    expect(script).toContain(`'slow:' 'quick:'`);
    expect(script).toContain(`'root') cmds=('ship:ships it: the '\\''best'\\'' way'`);
    expect(script).toContain('if [[ $funcstack[1] == _tool ]]; then _tool "$@"; else compdef _tool tool; fi');
    expect(script).not.toContain('--secret');
  });

  it('fish: complete lines conditioned on the command path, value options marked -r', () => {
    const script = fishCompletion(tree);
    expect(script).toContain(`complete -c tool -n '__tool_at \\'root box\\'' -f -a 'open' -d ''`);
    expect(script).toContain(`complete -c tool -n '__tool_at \\'root ship\\'' -l 'to' -r -d 'target'`);
    expect(script).toContain(`-a 'ship' -d 'ships it: the \\'best\\' way'`);
    expect(script).toContain(
      `set -g __tool_value_options 'root --state-dir' 'root ship --to' 'root ship --mode'`,
    );
    expect(script).toContain(`-l 'mode' -r -f -a 'fast safe' -d 'how'`);
    expect(script).toContain(`complete -c tool -n '__tool_at \\'root ship\\'' -f -a 'slow quick'`);
    expect(script).not.toContain('secret');
  });
});
