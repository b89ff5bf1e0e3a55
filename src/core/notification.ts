/**
 * What a notification is about, as the board or the daemon hands it over. The type lives in
 * the core so a board can raise one (it wrote the ledger record) without depending on how
 * notifications are delivered (src/notify).
 */

export const NOTIFY_EVENTS = [
  'poisoned',
  'fenced',
  'pr-opened',
  'done',
  'daemon-error',
  'rate-limited',
] as const;
export type NotifyEventName = (typeof NOTIFY_EVENTS)[number];

export interface Notification {
  event: NotifyEventName;
  /** The task's name (GitHub `#<issue>`, Jira the key `OPS-12`); absent for fleet-wide events (daemon-error). */
  task?: string;
  /** The issue number on GitHub. */
  issue?: number;
  owner: string;
  /** The claim's epoch when the event belongs to one: part of the dedupe key. */
  epoch?: number;
  /** `owner/name` on GitHub; the site's host on Jira. */
  repository?: string;
  /** A link a human follows: the issue or the pull request. */
  url?: string;
  /** One line saying what happened, untrusted text kept as data. */
  summary?: string;
  /** The agent's error, already redacted by the caller; only when the operator opted in. */
  error?: string | null;
}

/**
 * Where the board and the daemon hand notifications. `notify` never blocks and never throws:
 * delivery is someone else's concern.
 */
export interface NotificationSink {
  notify(notification: Notification): void;
}

/** A sink that drops everything: the default when nothing is configured. */
export const noNotifications: NotificationSink = { notify: () => {} };
