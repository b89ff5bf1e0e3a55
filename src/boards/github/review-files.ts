/**
 * The files between a review round and its agent: the prompt (what to review) and `review.json`
 * (the verdict). The pull request's title, description and diff and the issue's text are
 * untrusted: they reach the agent only inside these files, never on a command line, and nothing
 * the agent writes is used except a verdict from a fixed set and a body of bounded length.
 */
import { readFile } from 'node:fs/promises';
import { describeValue } from '../../core/duration.js';
import { InputError } from '../../core/errors.js';

/** The file the reviewing agent writes in its artifacts directory. */
export const REVIEW_FILE = 'review.json';
/** GitHub's limit on a review body. */
const BODY_LIMIT = 65_536;

export interface ReviewPromptInput {
  pr: { number: number; title: string; url: string; body: string | null; base: string };
  issue: { number: number; title: string; body: string };
  /** The diff of the head against its base, written to a file by the round. */
  diffFile: string;
  /** Request-changes round this review answers (0: the first review). */
  round: number;
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

export function formatReviewPrompt(input: ReviewPromptInput): string {
  const { pr, issue } = input;
  return [
    'Review the following pull request of this repository. The working directory is its head.',
    'Decide whether it resolves the issue correctly and safely; do not change any file.',
    '',
    `# Pull request #${pr.number}: ${oneLine(pr.title)}`,
    '',
    `URL: ${pr.url}`,
    `Base: ${pr.base}. The diff against it is in the file ${input.diffFile}.`,
    ...(input.round > 0
      ? [`This is review round ${input.round + 1}: the author answered earlier requested changes.`]
      : []),
    '',
    '## The author’s summary (the pull request’s description)',
    '',
    pr.body?.trimEnd() || '(No description.)',
    '',
    `## Issue #${issue.number}: ${oneLine(issue.title)}`,
    '',
    issue.body.trimEnd() || '(The issue has no description.)',
    '',
    '## Your answer',
    '',
    `Write ${REVIEW_FILE} in the directory $CODEX_MONITOR_ARTIFACTS_DIR:`,
    '{"verdict": "approve" or "request-changes", "body": "your review; for request-changes, what to change"}',
    '',
  ].join('\n');
}

export interface ReviewFileVerdict {
  verdict: 'approve' | 'request-changes';
  body: string;
}

/** Reads the agent's verdict; InputError naming the file and what was wrong. */
export async function readReviewVerdict(file: string): Promise<ReviewFileVerdict> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new InputError(`The reviewing agent wrote no verdict: cannot read ${file} (${code}).`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InputError(
      `${file} is not JSON: expected {"verdict": "approve" | "request-changes", "body": "…"}.`,
    );
  }
  const { verdict, body } = (json ?? {}) as Record<string, unknown>;
  if (verdict !== 'approve' && verdict !== 'request-changes') {
    throw new InputError(
      `${file}: "verdict" is ${describeValue(verdict)}; expected "approve" or "request-changes".`,
    );
  }
  const said = typeof body === 'string' ? body.trim() : '';
  if (verdict === 'request-changes' && said === '') {
    throw new InputError(`${file}: a request-changes verdict needs a "body" saying what to change.`);
  }
  const bounded = [...said].length > BODY_LIMIT ? `${[...said].slice(0, BODY_LIMIT - 1).join('')}…` : said;
  return { verdict, body: bounded || 'Approved by codex-monitor’s reviewer.' };
}
