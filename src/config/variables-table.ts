import type { VariableSpec } from './variable-schemas.js';
import type { VariableSection } from './variables.js';

/** The README's tables sit between these markers; `npm run docs:env` rewrites what is inside. */
export const tableMarkers = (id: string) => ({
  start: `<!-- variables:start ${id} -->`,
  end: `<!-- variables:end ${id} -->`,
});

/** One section's variables as a Markdown table: name, default, meaning. */
export function renderVariablesTable(variables: readonly VariableSpec[]): string {
  const rows = variables.map(
    (v) => `| \`${v.name}\` | ${v.default === undefined ? '' : code(v.default)} | ${cell(v.doc)} |`,
  );
  return ['| variable | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

/**
 * The README with each section's table written between its markers. A section whose markers
 * are missing is named in `missing`, so the caller can say so rather than drop it silently.
 */
export function spliceVariablesTables(
  readme: string,
  sections: readonly VariableSection[],
): { text: string; missing: string[] } {
  let text = readme;
  const missing: string[] = [];
  for (const section of sections) {
    const { start, end } = tableMarkers(section.id);
    const from = text.indexOf(start);
    const to = text.indexOf(end, from);
    if (from < 0 || to < 0) {
      missing.push(section.id);
      continue;
    }
    const table = renderVariablesTable(section.variables);
    text = `${text.slice(0, from + start.length)}\n${table}\n${text.slice(to)}`;
  }
  return { text, missing };
}

function code(value: string): string {
  return `\`${value.replace(/\|/g, '\\|')}\``;
}

/**
 * A table cell: one line, no bare pipe, and outside `code` spans no HTML (`<prefix>`) or
 * emphasis (`LC_*`) for Markdown to read into plain text.
 */
function cell(text: string): string {
  return text
    .replace(/\s*\n\s*/g, ' ')
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/[\\*<>[\]]/g, (c) => ESCAPES[c] ?? c)))
    .join('')
    .replace(/\|/g, '\\|');
}

const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '*': '\\*',
  '<': '&lt;',
  '>': '&gt;',
  '[': '\\[',
  ']': '\\]',
};
