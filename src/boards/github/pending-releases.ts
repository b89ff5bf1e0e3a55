import type { ClaimTicket, ReleaseOutcome } from '../../core/task.js';
import type { DeliveredWork } from '../../daemon/workspace.js';
import type { KeyValueStore } from '../../state/kv-store.js';
import type { LedgerTicket } from './ledger/index.js';

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
  backoffMs: number;
  /** Wall-clock ms of the first try. */
  since: number;
}

/** kv namespace, per repository. */
export const PENDING_RELEASES = 'github-pending-release';

export class PendingReleases {
  private readonly namespace: string;
  private readonly map = new Map<string, PendingRelease>();

  constructor(
    private readonly kv: KeyValueStore,
    repository: string,
  ) {
    this.namespace = `${PENDING_RELEASES}:${repository.toLowerCase()}`;
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
