import { InputError } from '../core/errors.js';
import type { VariableSection } from './variables.js';

export interface EnvFileOptions {
  /** Leave out what the other board alone reads. Unset: every variable (`.env.example`). */
  board?: 'local' | 'github';
  /** Values written as live `NAME=value` lines; every other variable stays a commented default. */
  values?: Readonly<Record<string, string>>;
  /** The comment lines at the top (default: the `.env.example` header). */
  header?: readonly string[];
}

const HEADER = [
  '# codex-monitor configuration. Copy to .env (read at start-up; real environment variables win).',
  '# Every variable is optional; the value shown is the default. Uncomment a line to change it.',
];

/**
 * A commented `.env` file: each variable's doc as a comment above a line with its default,
 * commented out unless `values` sets it. `.env.example` is this with no options.
 */
export function renderEnvFile(sections: readonly VariableSection[], options: EnvFileOptions = {}): string {
  const lines = [...(options.header ?? HEADER)];
  for (const section of sections) {
    const variables = section.variables.filter(
      (v) => !v.board || !options.board || v.board === options.board,
    );
    if (variables.length === 0) continue;
    if (section.title) lines.push('', `# --- ${section.title} ---`);
    for (const spec of variables) {
      const value = options.values?.[spec.name];
      lines.push('', `# ${oneLine(spec.doc)}`);
      lines.push(
        value === undefined
          ? `# ${spec.name}=${spec.default ?? ''}`
          : `${spec.name}=${envValue(spec.name, value)}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

/**
 * A value as dotenv reads it back: bare when safe, else in the first quote character it does
 * not contain (dotenv unescapes nothing but \n inside double quotes, so quotes cannot be escaped).
 */
function envValue(name: string, value: string): string {
  if (/^[\w.,:/@+=-]*$/.test(value)) return value;
  if (value.includes('\n')) return `"${value.replace(/\r?\n/g, '\\n')}"`;
  const quote = ["'", '"', '`'].find((q) => !value.includes(q));
  if (!quote)
    throw new InputError(
      `${name}: a .env value cannot hold all three quote characters (' " \`); set it in the environment instead`,
    );
  return `${quote}${value}${quote}`;
}
