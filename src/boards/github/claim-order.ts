import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { SharedState } from '../../state/shared-state.js';
import type { IssueSnapshot, IssueStore, TrustPolicy } from './issues/index.js';
import { assessIssues, type Eligibility, spreadOut } from './issues/index.js';
import type { RefLedger } from './ledger/index.js';

export interface ClaimOrderOptions {
  issues: IssueStore;
  ledger: Pick<RefLedger, 'lastView'>;
  store: SharedState;
  policy: TrustPolicy;
  clock: Clock;
  logger: Logger;
  taskId: (issue: number) => string;
  /** Issues this process holds (running attempts, releases not yet recorded). */
  held: () => Set<number>;
  /** PROJECT_READY_STATUS: only cards in that column start (project/ready-gate.ts). */
  readyGate?: { reason(issue: number): string | null } | undefined;
}

/**
 * Which issues a daemon may claim, and in what order: the one reading of eligibility per
 * question (claim, pending), from the synced issues and the last ledger view.
 */
export class ClaimOrder {
  /** Lost work already announced in the log (once per issue). */
  private readonly announced = new Set<number>();

  constructor(private readonly o: ClaimOrderOptions) {}

  assess(agent: string | null, ownerId?: string): Eligibility {
    const held = this.o.held();
    return assessIssues({
      issues: this.o.issues.all,
      ledger: this.o.ledger.lastView(),
      agent,
      policy: this.o.policy,
      heldLocally: (n) => this.o.store.get(this.o.taskId(n))?.state === 'claimed',
      now: this.o.clock.now(),
      ...(this.o.readyGate ? { startGate: (n: number) => this.o.readyGate!.reason(n) } : {}),
      ...(ownerId ? { self: { ownerId, holds: (n: number) => held.has(n) } } : {}),
    });
  }

  /**
   * Candidates in claim order: lost work first — a silent owner's, or an orphan of our own
   * earlier run (recovery should not wait behind fresh work) — then the rest, spread out by
   * a hash of the owner id so a fleet does not herd. `recovery`: the lost work only.
   */
  candidates(agent: string | null, ownerId: string, purpose: 'any' | 'recovery'): IssueSnapshot[] {
    const { candidates, recover } = this.assess(agent, ownerId);
    for (const n of recover) {
      if (this.announced.has(n)) continue;
      this.announced.add(n);
      const chain = this.o.ledger.lastView()?.tasks.get(n);
      this.o.logger.info(
        { issue: n, holder: chain?.holder, detail: chain?.detail },
        `#${n} is lost work: recovering it first`,
      );
    }
    const lost = candidates.filter((c) => recover.has(c.number));
    const fresh = candidates.filter((c) => !recover.has(c.number));
    return purpose === 'recovery' ? lost : [...lost, ...spreadOut(fresh, ownerId)];
  }
}
