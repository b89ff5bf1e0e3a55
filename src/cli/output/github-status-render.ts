/**
 * What only a daemon of THIS workstation knows about GitHub (or Jira: its releases), shown beside the fleet: a rate-limit
 * wait still in force and releases the ledger has not recorded yet (both kept in the kv table).
 * The fleet itself comes from the ledger (fleet-render.ts), never from what a daemon published.
 */
import { GITHUB_LIMIT, type GitHubLimit } from '../../boards/github/limit-record.js';
import { type PendingRelease, PendingReleases, pendingReleasesNamespace } from '../../boards/ledger/index.js';
import type { KeyValueStore } from '../../state/kv-store.js';
import { duration } from './format.js';

export interface LocalGitHubView {
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

/** What the GitHub daemons of this workstation left in the kv table for `repository`. */
export function readLocalGitHub(kv: KeyValueStore, repository: string, now: number): LocalGitHubView {
  const limit = parse<GitHubLimit>(kv.get(GITHUB_LIMIT, repository));
  const until = limit ? (limit.resetAt ?? limit.at + limit.retryAfterMs) : 0;
  return {
    limit: limit && until > now ? { ...limit, until } : null,
    pendingReleases: new PendingReleases(kv, pendingReleasesNamespace({ github: repository })).all(),
  };
}

/** What the Jira daemons of this workstation left in the kv table for the site: releases only. */
export function readLocalJira(kv: KeyValueStore, site: string): LocalGitHubView {
  return {
    limit: null,
    pendingReleases: new PendingReleases(kv, pendingReleasesNamespace({ jira: site })).all(),
  };
}

/** One line per fact, none when a daemon here has nothing pending. */
export function localGitHubLines(view: LocalGitHubView, now: number): string[] {
  const lines: string[] = [];
  if (view.limit) {
    lines.push(
      `Waiting on GitHub's ${view.limit.kind} rate limit for another ${duration(view.limit.until - now)}.`,
    );
  }
  for (const p of view.pendingReleases) {
    lines.push(
      `${p.key ?? `#${p.ledger.issue}`}: release (${p.outcome}) not recorded in the ledger yet, for ${duration(now - p.since)}; a daemon here retries it every cycle`,
    );
  }
  return lines;
}

/** The JSON form: ISO 8601 times, durations in ms. */
export function localGitHubJson(view: LocalGitHubView, now: number) {
  return {
    rateLimit: view.limit
      ? {
          kind: view.limit.kind,
          until: new Date(view.limit.until).toISOString(),
          remainingMs: view.limit.until - now,
        }
      : null,
    pendingReleases: view.pendingReleases.map((p) => ({
      issue: p.ledger.issue,
      ...(p.key ? { key: p.key } : {}),
      outcome: p.outcome,
      since: new Date(p.since).toISOString(),
      pendingForMs: now - p.since,
    })),
  };
}
