/**
 * The body of a task's pull request: `Fixes #N` (a GitHub issue) or the Jira issue's key and link,
 * the agent's summary as untrusted data, who made it (owner, attempt, epoch), and a hidden marker
 * the fleet can find its pull requests by. Bounded by GitHub's 65,536-character body limit. Every
 * ledger board delivers to GitHub, so the body lives with the ledger core (github/pulls re-exports it).
 */

/** GitHub's limit on an issue, comment or pull request body, in characters. */
export const PULL_BODY_LIMIT = 65_536;

/** The hidden marker's prefix; the summary can never contain it (see sanitizeSummary). */
export const PULL_MARKER = 'codex-monitor-pull';

/** A Jira issue a pull request is for: named and linked, never closed by a merge. */
export interface JiraReference {
  key: string;
  url: string;
}

export interface PullBodyInput {
  /**
   * The issue the pull request is for. A GitHub issue's number: `Fixes #N` closes it as completed
   * on merge. A Jira issue: its key, linked (moving it on is the team's, or their Jira app's).
   */
  issue: number | JiraReference;
  /** The agent's own summary (untrusted), or null when it left none. */
  summary: string | null;
  attempt: number | string;
  epoch: number;
  owner: string;
  logsUrl?: string;
}

const ZWSP = '\u200b';

/**
 * Neutralises what the agent's text could do on GitHub beyond being read:
 * - `<!` and `-->` are escaped, so no HTML comment can forge, hide or end a hidden marker;
 * - `@name` and `@org/team` get a zero-width space after the `@`, so nobody is pinged;
 * - closing keywords before an issue reference (`fixes #7`, `Closes: acme/x#7`) are broken with a
 *   zero-width space, so merging never closes an issue the agent chose;
 * - control characters other than tab and newline are dropped.
 * Markdown itself is kept: it is what the reader sees.
 */
export function sanitizeSummary(text: string): string {
  return (
    text
      .replace(/\r\n?/g, '\n')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed.
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
      .replace(/<!/g, '&lt;!')
      .replace(/-->/g, '--&gt;')
      .replace(/(^|[^\w`])@(?=[A-Za-z0-9])/g, `$1@${ZWSP}`)
      .replace(
        /\b(clos|fix|resolv)(e[sd]?)?(\s*:?\s+(?:[\w.-]+\/[\w.-]+)?#\d)/gi,
        (_m, stem: string, end: string | undefined, ref: string) => `${stem}${ZWSP}${end ?? ''}${ref}`,
      )
  );
}

/** Characters as GitHub counts them for its limits (code points). */
function length(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** The first `max` code points of `text` (a surrogate pair is never split). */
function head(text: string, max: number): string {
  let out = '';
  let n = 0;
  for (const ch of text) {
    if (n++ >= max) break;
    out += ch;
  }
  return out;
}

/** An id in a one-line Markdown code span; no `<` or `>`, so it can open or close no comment. */
const codeSpan = (text: string) => `\`${text.replace(/[`\n\r<>]/g, '')}\``;

/**
 * `Fixes #N`, or `Jira: [KEY](url)`. The key is cut to what Jira keys are made of and the link
 * kept only when it is a plain http(s) URL, so neither can open Markdown or HTML of its own.
 */
function referenceLine(issue: number | JiraReference): string {
  if (typeof issue === 'number') return `Fixes #${issue}`;
  const key = jiraKey(issue.key);
  return /^https?:\/\/[^\s()<>[\]`]+$/.test(issue.url) ? `Jira: [${key}](${issue.url})` : `Jira: ${key}`;
}

/** A Jira key as Jira makes them (letters, digits, `_`, `-`): nothing else survives. */
const jiraKey = (key: string) => key.replace(/[^\w-]/g, '');

/** The pull request body; never longer than PULL_BODY_LIMIT characters. */
export function renderPullBody(input: PullBodyInput): string {
  const { issue, attempt, epoch, owner, logsUrl } = input;
  const marker = `<!-- ${PULL_MARKER} ${JSON.stringify({ v: 1, issue: typeof issue === 'number' ? issue : jiraKey(issue.key), attempt, epoch, owner }).replace(/[<>]/g, (c) => (c === '<' ? '\\u003c' : '\\u003e'))} -->`;
  const facts = [`attempt ${codeSpan(String(attempt))}`, `epoch ${epoch}`, `owner ${codeSpan(owner)}`];
  if (logsUrl && /^https?:\/\/\S+$/.test(logsUrl)) {
    facts.push(`[logs](${logsUrl.replace(/\(/g, '%28').replace(/\)/g, '%29')})`);
  }
  const top = `${referenceLine(issue)}\n\n### Summary from the agent\n\n`;
  const bottom = `\n\n---\nOpened by codex-monitor: ${facts.join(' · ')}\n${marker}\n`;
  const raw = input.summary?.trim() ?? '';
  if (raw === '') return `${top}_The agent left no summary._${bottom}`;
  // Sanitising only lengthens text, so the first PULL_BODY_LIMIT characters are all that can show.
  const total = length(raw);
  const summary = sanitizeSummary(head(raw, PULL_BODY_LIMIT));
  const room = PULL_BODY_LIMIT - length(top) - length(bottom);
  if (length(summary) <= room) return `${top}${summary}${bottom}`;
  const note = `\n\n_(Truncated to fit GitHub's body limit of ${PULL_BODY_LIMIT} characters: the agent's summary had ${total}.)_`;
  return `${top}${head(summary, room - length(note))}${note}${bottom}`;
}
