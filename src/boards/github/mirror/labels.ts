/**
 * The `codex:*` labels: what humans see of the ledger (a mirror, never the authority).
 * The daemon owns claimed/working/stale/done/verified/failed; humans own ignore and retry.
 * `verified`: done, and a second agent (or a person) approved its pull request.
 */
import {
  fetchAllPages,
  type GitHubClient,
  GitHubNotFoundError,
  GitHubUnavailableError,
  GitHubValidationError,
} from '../http/index.js';

export const DAEMON_LABEL_STATES = ['claimed', 'working', 'stale', 'done', 'verified', 'failed'] as const;
/** The one daemon label an issue should carry, or null for none. */
export type DaemonLabelState = (typeof DAEMON_LABEL_STATES)[number] | null;

export interface LabelDefinition {
  name: string;
  /** Hex without `#`. */
  color: string;
  description: string;
  setBy: 'daemon' | 'human';
}

export const IGNORE_LABEL = 'codex:ignore';
export const RETRY_LABEL = 'codex:retry';

export const CODEX_LABELS: readonly LabelDefinition[] = [
  {
    name: 'codex:claimed',
    color: 'fbca04',
    description: 'codex-monitor: claimed by a workstation',
    setBy: 'daemon',
  },
  {
    name: 'codex:working',
    color: '1d76db',
    description: 'codex-monitor: an agent is working on it',
    setBy: 'daemon',
  },
  {
    name: 'codex:stale',
    color: 'c5def5',
    description: 'codex-monitor: its owner stopped heartbeating',
    setBy: 'daemon',
  },
  { name: 'codex:done', color: '0e8a16', description: 'codex-monitor: finished', setBy: 'daemon' },
  {
    name: 'codex:verified',
    color: '0b6623',
    description: 'codex-monitor: finished, and its pull request approved by a reviewer',
    setBy: 'daemon',
  },
  {
    name: 'codex:failed',
    color: 'b60205',
    description: 'codex-monitor: gave up after its retries',
    setBy: 'daemon',
  },
  {
    name: IGNORE_LABEL,
    color: '000000',
    description: 'codex-monitor: keep automation off (set by humans)',
    setBy: 'human',
  },
  {
    name: RETRY_LABEL,
    color: 'd93f0b',
    description: 'codex-monitor: try a failed issue again (set by humans)',
    setBy: 'human',
  },
];

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function labelFor(state: DaemonLabelState): string | null {
  return state === null ? null : `codex:${state}`;
}

/** Whether the daemon owns this label (GitHub label names are case-insensitive). */
export function isDaemonLabel(name: string): boolean {
  return DAEMON_LABEL_STATES.some((s) => same(name, `codex:${s}`));
}

/**
 * Creates the missing `codex:*` labels (one paginated, ETag-cached listing first). Creating a
 * label is idempotent by nature (a second create is a 422 `already_exists`, never a duplicate),
 * so a lost response is retried once and a race with another daemon counts as success.
 * Returns the names this call created.
 */
export async function ensureLabels(
  client: GitHubClient,
  owner: string,
  repo: string,
  signal?: AbortSignal,
): Promise<string[]> {
  const { items } = await fetchAllPages<{ name: string }>(
    client,
    'GET /repos/{owner}/{repo}/labels',
    { owner, repo, per_page: 100 },
    signal,
  );
  const created: string[] = [];
  for (const def of CODEX_LABELS) {
    if (items.some((l) => same(l.name, def.name))) continue;
    const { name, color, description } = def;
    try {
      await postTwice(() =>
        client.rest.issues.createLabel({ owner, repo, name, color, description, request: { signal } }),
      );
      created.push(def.name);
    } catch (error) {
      if (!(error instanceof GitHubValidationError && error.hasCode('already_exists'))) throw error;
    }
  }
  return created;
}

/**
 * For the POSTs that are idempotent by nature (creating a label, adding labels to an issue):
 * the client never retries a POST, so a lost response is retried here, once.
 */
async function postTwice<T>(post: () => Promise<T>): Promise<T> {
  try {
    return await post();
  } catch (error) {
    if (!(error instanceof GitHubUnavailableError)) throw error;
    return post();
  }
}

/** The labels an issue should carry: human labels untouched, at most one daemon label. */
export function desiredLabels(current: readonly string[], desired: DaemonLabelState): string[] {
  const want = labelFor(desired);
  const kept = current.filter((l) => !isDaemonLabel(l) || (want !== null && same(l, want)));
  return want === null || kept.some((l) => same(l, want)) ? kept : [...kept, want];
}

/**
 * Brings the issue's daemon label to `desired` with at most one write, never touching human
 * labels (`codex:ignore`, `codex:retry`, anything not `codex:*`):
 * - nothing to change: no request;
 * - only an addition: POST …/labels (adds, leaves the rest alone: race-free);
 * - only one removal: DELETE …/labels/{name} (already gone counts as done: race-free);
 * - a transition (add one, remove another): PUT …/labels with the full set. PUT replaces
 *   everything, so a label a human added after our read would be lost; to keep that window to
 *   one round trip rather than a poll interval, the set is computed from a fresh (ETag-cached)
 *   read of the issue's labels just before the PUT. Two race-free writes (POST + DELETE) would
 *   close the window entirely but double the writes, which GitHub paces at one per second and
 *   charges 5 secondary points each; the read costs one primary request at most.
 * Returns the number of writes made (0 or 1).
 */
export async function reconcileLabels(
  client: GitHubClient,
  owner: string,
  repo: string,
  issue: number,
  current: readonly string[],
  desired: DaemonLabelState,
): Promise<number> {
  const want = labelFor(desired);
  const toAdd = want !== null && !current.some((l) => same(l, want)) ? [want] : [];
  const toRemove = current.filter((l) => isDaemonLabel(l) && (want === null || !same(l, want)));
  const base = { owner, repo, issue_number: issue };
  if (toAdd.length === 0 && toRemove.length === 0) return 0;
  if (toRemove.length === 0) {
    await postTwice(() => client.rest.issues.addLabels({ ...base, labels: toAdd }));
    return 1;
  }
  if (toAdd.length === 0 && toRemove.length === 1) {
    try {
      await client.rest.issues.removeLabel({ ...base, name: toRemove[0]! });
    } catch (error) {
      if (!(error instanceof GitHubNotFoundError)) throw error;
    }
    return 1;
  }
  const { items } = await fetchAllPages<{ name: string }>(
    client,
    'GET /repos/{owner}/{repo}/issues/{issue_number}/labels',
    { ...base, per_page: 100 },
  );
  const fresh = items.map((l) => l.name);
  const next = desiredLabels(fresh, desired);
  if (next.length === fresh.length && next.every((l) => fresh.some((f) => same(f, l)))) return 0;
  await client.rest.issues.setLabels({ ...base, labels: next });
  return 1;
}
