/**
 * What of an agent's error may be shown to anyone who reads the board (a GitHub state comment,
 * a notification in a chat): nothing unless the operator opts in (CODEX_MONITOR_PUBLISH_ERRORS),
 * then redacted (secrets, home directories) and capped. Pure; every board uses the same rules.
 */
import { redactUrl } from './redact.js';

/** Longest published error summary (characters). */
export const MAX_PUBLISHED_ERROR = 500;

export interface PublishOptions {
  /** `CODEX_MONITOR_PUBLISH_ERRORS`: publish a redacted error summary. Default false. */
  publishErrors?: boolean;
  /** The owner's home directory, replaced by `~` wherever it appears. */
  home?: string;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const RULES: Array<[RegExp, string]> = [
  // Authorization headers and their usual shapes.
  [/\b(authorization\s*[:=]\s*)(?:(bearer|token|basic)\s+)?\S+/gi, '$1$2 [redacted]'],
  [/\b(bearer|token)\s+[A-Za-z0-9._~+/=-]{16,}/gi, '$1 [redacted]'],
  // Well-known token formats (GitHub, OpenAI/Anthropic, Slack, AWS, GitLab).
  [/\b(?:gh[pousr]_[A-Za-z0-9]{16,}|github_pat_[A-Za-z0-9_]{16,})/g, '[redacted]'],
  [
    /\b(?:sk-[A-Za-z0-9_-]{16,}|xox[abprs]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|glpat-[A-Za-z0-9_-]{16,})/g,
    '[redacted]',
  ],
  // NAME=value where the name says secret.
  [
    /\b([A-Z0-9_]*(?:TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE_KEY|CREDENTIALS?))(\s*[=:]\s*)\S+/gi,
    '$1$2[redacted]',
  ],
  // Long opaque strings with letters and digits: likely keys.
  [/\b(?=[A-Za-z0-9_+/=-]*\d)(?=[A-Za-z0-9_+/=-]*[A-Za-z])[A-Za-z0-9_+/=-]{32,}/g, '[redacted]'],
  // Home directories.
  [/(?:\/home\/|\/Users\/)[^\s/'"`]+/g, '~'],
  [/[A-Za-z]:\\Users\\[^\s\\'"`]+/g, '~'],
  [/(?<![\w.-])\/root(?=\/|\b)/g, '~'],
];

/**
 * An error summary fit for a public comment: secrets and home paths redacted, control characters
 * and line breaks flattened, at most MAX_PUBLISHED_ERROR characters.
 */
export function redactForPublication(text: string, home?: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: flattening control characters is the point
  let out = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
  if (home && home.length > 1) out = out.replace(new RegExp(escapeRegExp(home), 'g'), '~');
  out = redactUrl(out); // credentials inside URLs, as everywhere else
  for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement);
  out = out.replace(/\s+/g, ' ').trim();
  return out.length > MAX_PUBLISHED_ERROR ? `${out.slice(0, MAX_PUBLISHED_ERROR - 1)}…` : out;
}

/** The error as published: null unless the operator opted in. */
export function publishedError(error: string | null | undefined, options: PublishOptions): string | null {
  if (!error || !options.publishErrors) return null;
  return redactForPublication(error, options.home);
}
