import type { ClaimTicket, ReleaseOutcome } from '../../core/task.js';
import type { DeliveredWork } from '../../daemon/workspace.js';
import type { KeyValueStore } from '../../state/kv-store.js';
import type { LedgerTicket } from '../github/ledger/index.js';

/**
 * A release the ledger has not answered yet: everything needed to write it again (the backoff
 * is chosen once, so every try writes the same record), to give the local claim back, and to
 * mirror it. Kept in the local store's kv table until the release lands or is proven fenced, so a
 * restarted daemon finishes it and `status` can see it.
 */
export interface PendingRelease {
  taskId: string;
  local: ClaimTicket;
  ledger: LedgerTicket;
  outcome: ReleaseOutcome;
  error?: string;
  /** What the attempt delivered (branch, pull request): recorded with the release. */
  delivered?: DeliveredWork;
  /** How people name the task (a Jira key): the board mirrors the release under it after a restart. */
  key?: string;
  backoffMs: number;
  /** Wall-clock ms of the first try. */
  since: number;
}

/** kv namespace of the GitHub board's releases, per repository. */
export const PENDING_RELEASES = 'github-pending-release';

/** The kv namespace of a board's releases: the GitHub board's per repository, the Jira board's per site. */
export function pendingReleasesNamespace(board: { github: string } | { jira: string }): string {
  return 'github' in board
    ? `${PENDING_RELEASES}:${board.github.toLowerCase()}`
    : `jira-pending-release:${board.jira.toLowerCase()}`;
}

/** The releases of one board not recorded yet, in the local store's kv table. */
export class PendingReleases {
  private readonly map = new Map<string, PendingRelease>();

  constructor(
    private readonly kv: KeyValueStore,
    private readonly namespace: string,
  ) {
    for (const [, value] of kv.entries(this.namespace)) {
      try {
        const pending = JSON.parse(value) as PendingRelease;
        this.map.set(pending.taskId, pending);
      } catch {
        // Unreadable: the claim it stood for expires and is taken over like a crashed one.
      }
    }
  }

  get(taskId: string): PendingRelease | undefined {
    return this.map.get(taskId);
  }

  put(pending: PendingRelease): void {
    this.map.set(pending.taskId, pending);
    this.kv.set(this.namespace, pending.taskId, JSON.stringify(pending));
  }

  delete(taskId: string): void {
    this.map.delete(taskId);
    this.kv.delete(this.namespace, taskId);
  }

  all(): PendingRelease[] {
    return [...this.map.values()];
  }

  get size(): number {
    return this.map.size;
  }

  /** Whether a release of `issue` is waiting to land. */
  has(issue: number): boolean {
    for (const p of this.map.values()) if (p.ledger.issue === issue) return true;
    return false;
  }
}
