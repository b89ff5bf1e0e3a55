import type { ActiveClaim, HeartbeatReport } from '../../daemon/board.js';
import { ledgerTicketOf } from './claim-issue.js';
import type { LedgerView } from './ledger/index.js';
import { IGNORE_LABEL } from './mirror/index.js';

/**
 * What a heartbeat reports of each running claim: lost when the ledger chain has grown past
 * our claim (an older view just predates it), ignored when the issue carries codex:ignore.
 */
export function claimVerdicts(
  claims: readonly ActiveClaim[],
  view: LedgerView | null | undefined,
  labelsOf: (issue: number) => readonly string[] | undefined,
): HeartbeatReport {
  const report: HeartbeatReport = { lost: [], ignored: [] };
  for (const claim of claims) {
    const ticket = ledgerTicketOf(claim);
    if (!ticket) continue;
    const tip = view?.tasks.get(ticket.issue);
    if (tip && (tip.epoch ?? 0) > ticket.epoch) {
      report.lost.push({ taskId: claim.task.id, reason: `the ledger moved on: ${tip.detail}` });
    } else if (labelsOf(ticket.issue)?.some((l) => l.toLowerCase() === IGNORE_LABEL)) {
      report.ignored.push({ taskId: claim.task.id, reason: `labelled ${IGNORE_LABEL}` });
    }
  }
  return report;
}
