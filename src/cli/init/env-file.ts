/**
 * The `.env` that `init` writes: the chosen settings, then every other variable of the chosen
 * board commented out at its default — the same text `.env.example` is made of.
 */
import { writeFileSync } from 'node:fs';
import { renderEnvFile } from '../../config/env-file.js';
import { VARIABLE_SECTIONS } from '../../config/variables.js';
import { InputError } from '../../core/errors.js';
import type { InitChoices } from './choices.js';

/** The variables the choices set. The token is never written: GITHUB_TOKEN or `gh auth token`. */
export function envValues(choices: InitChoices): Record<string, string> {
  const values: Record<string, string> = {};
  if (choices.repository !== undefined) values.GITHUB_REPOSITORY = choices.repository;
  if (choices.executor !== undefined) values.EXECUTOR = choices.executor;
  if (choices.executorCommand !== undefined) values.EXECUTOR_COMMAND = choices.executorCommand;
  return values;
}

/** The `.env` text for `choices`: the `.env.example` generator's, with init's header. */
export function initEnvText(choices: InitChoices): string {
  return renderEnvFile(VARIABLE_SECTIONS, {
    board: choices.board,
    values: envValues(choices),
    header: [
      '# codex-monitor configuration, written by `codex-monitor init`.',
      '# Real environment variables win over this file. `codex-monitor doctor` checks the setup.',
      '# GITHUB_TOKEN: set it in the environment (or below), else the GitHub CLI’s token is used (`gh auth login`).',
      '# Every other variable is at its default: uncomment a line to change it.',
    ],
  });
}

/**
 * Writes `text` to `file`, only if absent unless `force` (the check and the creation are one
 * step: `wx`). Owner-only permissions: the user may add a token to it.
 */
export function writeEnvFile(file: string, text: string, force: boolean): void {
  try {
    writeFileSync(file, text, { flag: force ? 'w' : 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new InputError(
        `${file} exists already: init leaves it alone. Edit it, or run init --force to overwrite it`,
      );
    }
    throw error;
  }
}
