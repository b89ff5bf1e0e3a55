import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { SharedState } from '../../state/shared-state.js';
import { ClaimOrder } from '../ledger/index.js';
import { assessIssues, type IssueSnapshot, type IssueStore, type TrustPolicy } from './issues/index.js';
import type { RefLedger } from './ledger/index.js';

export interface IssueClaimOrderOptions {
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
 * The GitHub board's claim order: the ledger core's ClaimOrder over the synced issues. The one
 * reading of GitHub eligibility per question (claim, pending): an extra GitHub predicate (a
 * project's Ready column…) goes into assessIssues' input here.
 */
export function issueClaimOrder(o: IssueClaimOrderOptions): ClaimOrder<IssueSnapshot> {
  return new ClaimOrder({
    ...o,
    assess: (agent, self) =>
      assessIssues({
        issues: o.issues.all,
        ledger: o.ledger.lastView(),
        agent,
        policy: o.policy,
        heldLocally: (n) => o.store.get(o.taskId(n))?.state === 'claimed',
        now: o.clock.now(),
        startGate: o.readyGate ? (n) => o.readyGate!.reason(n) : undefined,
        ...(self ? { self } : {}),
      }),
    idOf: (issue) => issue.number,
    nameOf: (n) => `#${n}`,
  });
}
