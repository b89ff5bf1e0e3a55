/**
 * A custom agent preset from the configuration (`EXECUTOR=custom`): any CLI that can read its
 * prompt from stdin or from a file, without new code.
 *
 *     EXECUTOR=custom
 *     EXECUTOR_COMMAND='my-agent run --non-interactive'   # fixed words: split, never a shell
 *     EXECUTOR_PROMPT=stdin                               # or file-flag:--prompt-file
 *
 * The safety rule of the built-in presets holds: argv is the configuration's words and, with
 * `file-flag:`, the prompt file's path, which this daemon chose; the prompt itself (issue text)
 * is never a word of it. There is deliberately no placeholder to splice text into argv.
 */
import { ConfigError, InputError } from '../core/errors.js';
import type { PresetSpec, PromptDelivery } from './preset-table.js';
import { splitCommandLine } from './shell/command-line.js';

const PROMPT_EXAMPLE = 'EXECUTOR_PROMPT=stdin, or EXECUTOR_PROMPT=file-flag:--message-file';
const COMMAND_EXAMPLE = "EXECUTOR_COMMAND='my-agent --non-interactive'";

/** A flag as a CLI spells one: dashes, then letters, digits, `-`, `_` or `.`; `=` ends a joined one. */
const FLAG = /^(--?[A-Za-z0-9][\w.-]*)(=?)$/;

/**
 * Reads EXECUTOR_PROMPT: `stdin`, `file-flag:<flag>` (`<flag> <path>`) or `file-flag:<flag>=`
 * (`<flag>=<path>`). Null and a message naming the variable when it is none of those.
 */
export function parsePromptDelivery(value: string): PromptDelivery | { problem: string } {
  const text = value.trim();
  if (text === 'stdin') return { kind: 'stdin' };
  if (text.startsWith('file-flag:')) {
    const match = FLAG.exec(text.slice('file-flag:'.length));
    if (match) return { kind: 'file-flag', flag: match[1]!, joined: match[2] === '=' };
  }
  return {
    problem: `EXECUTOR_PROMPT=${JSON.stringify(value)}: expected stdin (the prompt file on the CLI's stdin) or file-flag:<flag> (the prompt file's path after <flag>; end it with = for <flag>=<path>), e.g. ${PROMPT_EXAMPLE}`,
  };
}

/**
 * The preset EXECUTOR=custom defines. Throws `ConfigError` naming EXECUTOR_COMMAND or
 * EXECUTOR_PROMPT, with an example, when either is missing or malformed.
 */
export function customPreset(command: string | undefined, prompt: string | undefined): PresetSpec {
  const problems: string[] = [];
  let words: string[] = [];
  if (command === undefined || command.trim() === '') {
    problems.push(
      `EXECUTOR=custom needs EXECUTOR_COMMAND: the agent CLI and its fixed arguments (the prompt is never one of them), e.g. ${COMMAND_EXAMPLE} with ${PROMPT_EXAMPLE}`,
    );
  } else {
    try {
      words = splitCommandLine(command);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(`EXECUTOR_COMMAND: ${error.message}; e.g. ${COMMAND_EXAMPLE}`);
    }
  }
  const delivery = parsePromptDelivery(prompt ?? 'stdin');
  if ('problem' in delivery) problems.push(delivery.problem);
  if (problems.length > 0) throw new ConfigError(problems);
  return { command: words, flags: [], prompt: delivery as PromptDelivery };
}
