/** The fleet as one observer sees it after a refresh: every task chain's tip and every owner. */
import type { Decision } from './ledger-policy.js';
import type { TaskRecord } from './ledger-record.js';

/**
 * `free`: claimable now (subject to the claimer's retry limit); `stale`: held by a silent owner,
 * claimable by takeover; `held` includes an unknown tip younger than the stale threshold;
 * `bad`: the ref points at no commit (a tree, a blob, a tag): skipped until a human repairs it.
 */
export type LedgerTaskState = 'free' | 'held' | 'stale' | 'done' | 'poisoned' | 'backoff' | 'bad';

export interface LedgerTaskView {
  issue: number;
  sha: string;
  /** null: an unknown (foreign or malformed) commit at the tip. */
  record: TaskRecord | null;
  state: LedgerTaskState;
  /** Owner of the claim at the tip (also when stale), or of the final release. */
  holder: string | null;
  epoch: number | null;
  retries: number;
  /**
   * The tip is a claim this process wrote. A claim whose answer was lost can land unnoticed:
   * a daemon that sees `mine` on an issue it does not run calls `claim` to get its ticket back.
   */
  mine: boolean;
  /** For `held` and `backoff`: how long until this observer would allow a claim, if nothing changes. */
  waitMs: number | null;
  detail: string;
}

export interface LedgerOwnerView {
  ownerId: string;
  sha: string;
  /** How long this observer has seen the owner's ref unchanged. */
  unchangedForMs: number;
  stale: boolean;
}

/** A ref under the namespace that the ledger cannot use, shown in status until a human fixes it. */
export interface LedgerProblem {
  ref: string;
  sha: string;
  reason: string;
}

export interface LedgerView {
  tasks: ReadonlyMap<number, LedgerTaskView>;
  owners: ReadonlyMap<string, LedgerOwnerView>;
  /** Refs skipped as unusable (non-commit objects, foreign names), at the last refresh. */
  problems?: readonly LedgerProblem[];
  /** This observer's monotonic time when the listing was requested. */
  refreshedAt: number;
}

/** The view of a chain whose ref points at no usable commit: never claimed, never counted. */
export function badTaskView(issue: number, sha: string, reason: string): LedgerTaskView {
  const detail = `unusable ledger ref: ${reason}`;
  return {
    issue,
    sha,
    record: null,
    state: 'bad',
    holder: null,
    epoch: null,
    retries: 0,
    mine: false,
    waitMs: null,
    detail,
  };
}

export function taskView(
  issue: number,
  sha: string,
  record: TaskRecord | null,
  d: Decision,
  mine: boolean,
): LedgerTaskView {
  const base = {
    issue,
    mine,
    sha,
    record,
    epoch: record?.epoch ?? null,
    retries: record?.retries ?? 0,
    holder: record?.kind === 'claim' || record?.kind === 'release' ? record.owner : null,
  };
  switch (d.action) {
    case 'refuse':
      return { ...base, state: d.reason, waitMs: d.waitMs ?? null, detail: d.detail };
    case 'claim':
      return { ...base, state: d.tookOverFrom ? 'stale' : 'free', waitMs: null, detail: d.detail };
    case 'poison':
      return { ...base, state: 'free', waitMs: null, detail: d.reason };
    case 'adopt':
      return { ...base, state: 'held', waitMs: null, detail: 'held by this process' };
  }
}
