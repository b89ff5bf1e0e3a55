import type { Notification, NotifyEventName } from '../core/notification.js';

/**
 * The JSON a webhook receives: Slack-compatible `text` (Slack, Mattermost, Discord's /slack
 * endpoint show it as is) plus the structured fields a script reads. Built only from the
 * notification, which carries no token: the body cannot leak one it never had.
 */
export interface NotificationBody {
  text: string;
  event: NotifyEventName;
  task: string | null;
  issue: number | null;
  owner: string;
  epoch: number | null;
  repository: string | null;
  /** ISO 8601, on the notifying daemon's clock. */
  at: string;
  url: string | null;
  error: string | null;
}

const HEADLINES: Record<NotifyEventName, string> = {
  poisoned: 'poisoned: out of retries, needs a human',
  fenced: 'fenced: its owner lost the claim',
  'pr-opened': 'pull request opened',
  done: 'done',
  'daemon-error': 'daemon stopped on an error',
  'rate-limited': 'rate limit reached',
};

/** Control characters out, length capped: a title or an owner id is untrusted text. */
function plain(text: string, max = 300): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: flattening control characters is the point
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function notificationBody(n: Notification, atMs: number): NotificationBody {
  const subject = n.task
    ? `${n.repository ? `${n.repository} ` : ''}${n.task}`
    : (n.repository ?? 'codex-monitor');
  const parts = [`[codex-monitor] ${subject}: ${HEADLINES[n.event]}`, `(owner ${plain(n.owner, 120)})`];
  if (n.summary) parts.push(`— ${plain(n.summary)}`);
  if (n.url) parts.push(n.url);
  return {
    text: parts.join(' '),
    event: n.event,
    task: n.task ?? null,
    issue: n.issue ?? null,
    owner: n.owner,
    epoch: n.epoch ?? null,
    repository: n.repository ?? null,
    at: new Date(atMs).toISOString(),
    url: n.url ?? null,
    error: n.error ? plain(n.error, 500) : null,
  };
}

/** What makes two notifications the same event: a retried ledger write must not notify twice. */
export function dedupeKey(n: Notification): string {
  return `${n.event}\u0000${n.task ?? ''}\u0000${n.epoch ?? ''}`;
}
