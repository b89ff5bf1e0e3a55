/**
 * The `.env` that `init` writes: the chosen settings, then every other variable commented out
 * at its default. The renderer is an interface (`EnvFileRenderer`) so the `.env.example`
 * generator can take its place; `renderInitEnv` is a small one from the same table.
 */
import { writeFileSync } from 'node:fs';
import { VARIABLES } from '../../config/variables.js';
import { InputError } from '../../core/errors.js';
import type { InitChoices } from './choices.js';

/** Turns the chosen values (variable name → raw value) into the text of a `.env` file. */
export type EnvFileRenderer = (values: Readonly<Record<string, string>>) => string;

/** The variables the choices set. The token is never written: GITHUB_TOKEN or `gh auth token`. */
export function envValues(choices: InitChoices): Record<string, string> {
  const values: Record<string, string> = {};
  if (choices.repository !== undefined) values.GITHUB_REPOSITORY = choices.repository;
  if (choices.executor !== undefined) values.EXECUTOR = choices.executor;
  if (choices.executorCommand !== undefined) values.EXECUTOR_COMMAND = choices.executorCommand;
  return values;
}

export const renderInitEnv: EnvFileRenderer = (values) => {
  const lines = [
    '# codex-monitor configuration, written by `codex-monitor init`.',
    '# Real environment variables win over this file. `codex-monitor doctor` checks the setup.',
    '',
  ];
  const set = VARIABLES.filter((v) => values[v.name] !== undefined);
  for (const spec of set)
    lines.push(`# ${spec.doc}`, `${spec.name}=${dotenvValue(spec.name, values[spec.name]!)}`);
  if ('GITHUB_REPOSITORY' in values) {
    lines.push(
      '# The token: GITHUB_TOKEN in the environment (or here), else the GitHub CLI’s (`gh auth login`).',
      '# GITHUB_TOKEN=',
    );
  }
  lines.push('', '# Everything else, at its default: uncomment a line to change it.');
  for (const spec of VARIABLES) {
    if (values[spec.name] !== undefined || (spec.name === 'GITHUB_TOKEN' && 'GITHUB_REPOSITORY' in values))
      continue;
    const fallback = (spec as { default?: string }).default ?? '';
    lines.push(
      '',
      `# ${spec.doc}`,
      `# ${spec.name}=${fallback === '' ? '' : dotenvValue(spec.name, fallback)}`,
    );
  }
  return `${lines.join('\n')}\n`;
};

/**
 * A value as dotenv reads it back unchanged: bare when it needs no quotes, else in the first
 * of '…', `…`, "…" it does not contain (dotenv has no escapes inside single quotes or backticks).
 */
export function dotenvValue(name: string, value: string): string {
  if (/[\r\n]/.test(value))
    throw new InputError(`${name}: a value of one line is needed, not ${JSON.stringify(value)}`);
  if (/^[\w./:@,+=-]*$/.test(value)) return value;
  for (const quote of ["'", '`', '"']) if (!value.includes(quote)) return `${quote}${value}${quote}`;
  throw new InputError(
    `${name}=${JSON.stringify(value)} holds ', \` and " at once, which a .env file cannot quote: put the command in a script`,
  );
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
