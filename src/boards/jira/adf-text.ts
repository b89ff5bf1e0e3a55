/**
 * Atlassian Document Format (Jira REST API v3 `description` and comment `body`) to plain text,
 * the prompt an executor reads, and plain text to ADF. Unknown nodes keep their children's text
 * (ADF grows new node types; losing words is worse than losing formatting).
 * https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/
 */

interface AdfNode {
  type?: string;
  text?: string;
  attrs?: Record<string, unknown>;
  content?: AdfNode[];
}

const BLOCKS = new Set([
  'paragraph',
  'heading',
  'blockquote',
  'codeBlock',
  'rule',
  'table',
  'tableRow',
  'panel',
  'expand',
]);

function render(node: AdfNode, depth: number): string {
  const children = (sep = '') => (node.content ?? []).map((c) => render(c, depth + 1)).join(sep);
  switch (node.type) {
    case 'text':
      return node.text ?? '';
    case 'hardBreak':
      return '\n';
    case 'mention':
    case 'emoji':
    case 'date':
    case 'status':
      return String(node.attrs?.text ?? node.attrs?.shortName ?? node.attrs?.timestamp ?? '');
    case 'inlineCard':
    case 'blockCard':
      return String(node.attrs?.url ?? '');
    case 'rule':
      return '---\n';
    case 'codeBlock':
      return `\`\`\`${String(node.attrs?.language ?? '')}\n${children()}\n\`\`\`\n`;
    case 'heading':
      return `${'#'.repeat(Number(node.attrs?.level ?? 1))} ${children()}\n`;
    case 'bulletList':
    case 'orderedList':
      return (node.content ?? [])
        .map(
          (item, i) =>
            `${node.type === 'orderedList' ? `${i + 1}.` : '-'} ${render(item, depth + 1).trim()}\n`,
        )
        .join('');
    case 'listItem':
      return children('\n');
    case 'tableRow':
      return `| ${(node.content ?? []).map((c) => render(c, depth + 1).trim()).join(' | ')} |\n`;
    default: {
      const text = children();
      return node.type && BLOCKS.has(node.type) && !text.endsWith('\n') ? `${text}\n` : text;
    }
  }
}

/** The document's text; '' for null (no description) and for anything that is not ADF. */
export function adfToText(doc: unknown): string {
  if (typeof doc === 'string') return doc; // API v2 answers, or a server that renders text
  if (!doc || typeof doc !== 'object') return '';
  return render(doc as AdfNode, 0)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Plain text as ADF: one paragraph per line. */
export function textToAdf(text: string): { type: 'doc'; version: 1; content: AdfNode[] } {
  return {
    type: 'doc',
    version: 1,
    content: text
      .split('\n')
      .map((line) => ({ type: 'paragraph', content: line ? [{ type: 'text', text: line }] : [] })),
  };
}
