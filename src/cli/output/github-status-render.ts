import {
  GITHUB_LIMIT,
  GITHUB_STATUS,
  type GitHubLimit,
  type GitHubStatus,
} from '../../boards/github/github-status.js';
import { type PendingRelease, PendingReleases } from '../../boards/github/pending-releases.js';
import type { KeyValueStore } from '../../state/kv-store.js';
import { duration, table } from './format.js';
import { terminalLine } from './terminal-safe.js';

export interface GitHubStatusView {
  status: GitHubStatus | null;
  /** A rate-limit wait still in force, if any. */
  limit: (GitHubLimit & { until: number }) | null;
  /** Releases this workstation's daemons could not record in the ledger yet. */
  pendingReleases: PendingRelease[];
}

function parse<T>(value: string | undefined): T | null {
  try {
    return value === undefined ? null : (JSON.parse(value) as T);
  } catch {
    return null;
  }
}

/** What the GitHub daemons of this workstation last published for `repository`. */
export function readGitHubStatus(kv: KeyValueStore, repository: string, now: number): GitHubStatusView {
  const status = parse<GitHubStatus>(kv.get(GITHUB_STATUS, repository));
  const limit = parse<GitHubLimit>(kv.get(GITHUB_LIMIT, repository));
  const until = limit ? (limit.resetAt ?? limit.at + limit.retryAfterMs) : 0;
  return {
    status,
    limit: limit && until > now ? { ...limit, until } : null,
    pendingReleases: new PendingReleases(kv, repository).all(),
  };
}

/** "#5 waiting for PR #12 (of #3), waits on #4": a dependency with a PR waits for its merge. */
function blockedLine(b: GitHubStatus['blocked'][number]): string {
  const pulls = new Map((b.pulls ?? []).map((p) => [p.issue, p.pr]));
  const forPr = b.waitingOn.filter((n) => pulls.has(n)).map((n) => `PR #${pulls.get(n)} (of #${n})`);
  const plain = b.waitingOn.filter((n) => !pulls.has(n)).map((n) => `#${n}`);
  const parts = [
    ...(forPr.length ? [`waiting for ${forPr.join(', ')}`] : []),
    ...(plain.length ? [`waits on ${plain.join(', ')}`] : []),
  ];
  return `#${b.issue} ${parts.join('; ')}`;
}

export function renderGitHubStatus(view: GitHubStatusView, now: number): string {
  const parts: string[] = [];
  if (view.limit) {
    parts.push(
      `Waiting on GitHub's ${view.limit.kind} rate limit for another ${duration(view.limit.until - now)}.`,
    );
  }
  for (const p of view.pendingReleases) {
    parts.push(
      `#${p.ledger.issue}: release (${p.outcome}) not recorded in the ledger yet, for ${duration(now - p.since)}; a daemon retries it every cycle`,
    );
  }
  const s = view.status;
  if (!s) return `${parts.join('\n')}\nNo GitHub daemon has refreshed on this workstation yet.\n`;
  parts.push(`GitHub ${s.repository}, as of ${duration(now - s.at)} ago`);
  const rows = s.tasks.map((t) => [
    `#${t.issue}`,
    t.verdict,
    t.ledger,
    t.holder,
    t.epoch,
    t.retryCount,
    // A status published before pull requests existed has no `pr`; its state once the sync saw it.
    t.pr ? `#${t.pr}${t.prState ? ` ${t.prState}` : ''}` : null,
    terminalLine(t.title).slice(0, 50),
  ]);
  if (rows.length)
    parts.push(table(['ISSUE', 'HERE', 'LEDGER', 'HOLDER', 'EPOCH', 'RETRIES', 'PR', 'TITLE'], rows));
  for (const b of s.blocked) parts.push(blockedLine(b));
  for (const c of s.cycles) parts.push(`dependency cycle: ${c.map((n) => `#${n}`).join(' → ')}`);
  for (const p of s.problems ?? []) {
    const what = terminalLine(`${p.ref} skipped: ${p.reason} (${p.sha.slice(0, 12)})`);
    parts.push(`warning: ledger ref ${what}; repair or delete it`);
  }
  return `${parts.join('\n')}\n`;
}
