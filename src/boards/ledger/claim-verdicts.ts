import type { ActiveClaim, HeartbeatReport } from '../../daemon/board.js';
import type { LedgerView } from '../github/ledger/index.js';
import { ledgerTicketOf } from './ledger-claim.js';

/**
 * What a heartbeat reports of each running claim: lost when the ledger chain has grown past our
 * claim (an older view just predates it), ignored when the board's ignore label is on its task.
 */
export function claimVerdicts(
  claims: readonly ActiveClaim[],
  view: LedgerView | null | undefined,
  ignore: { label: string; labelsOf: (chain: number) => readonly string[] | undefined },
): HeartbeatReport {
  const report: HeartbeatReport = { lost: [], ignored: [] };
  const label = ignore.label.toLowerCase();
  for (const claim of claims) {
    const ticket = ledgerTicketOf(claim);
    if (!ticket) continue;
    const tip = view?.tasks.get(ticket.issue);
    if (tip && (tip.epoch ?? 0) > ticket.epoch) {
      report.lost.push({ taskId: claim.task.id, reason: `the ledger moved on: ${tip.detail}` });
    } else if (ignore.labelsOf(ticket.issue)?.some((l) => l.toLowerCase() === label)) {
      report.ignored.push({ taskId: claim.task.id, reason: `labelled ${ignore.label}` });
    }
  }
  return report;
}
