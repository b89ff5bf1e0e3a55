/**
 * The ledger board core: what every board whose authority is the git ledger does the same way —
 * eligibility over a neutral task view, the claim order, claiming on the ledger behind the local
 * gate, heartbeat verdicts, releases kept until the ledger takes them, delivery (fence, push,
 * the pull request and its body), and the fleet as `status` shows it (one look at the ledger,
 * the view). Each board keeps only what is its own: how it lists its tasks, its mirror, its
 * prompt.
 */
export { ClaimOrder, type ClaimOrderOptions, spreadOut } from './claim-order.js';
export { claimVerdicts } from './claim-verdicts.js';
export {
  deliverWork,
  type PullOpener,
  type PullSpec,
  type PullText,
  type WorkDeliveryContext,
} from './deliver-work.js';
export { MAX_FLEET_OWNERS } from './fleet-heartbeats.js';
export { type FleetLook, type FleetLookOptions, lookAtLedger } from './fleet-look.js';
export { FleetSightings, type RefAge, SIGHTINGS_NAMESPACE } from './fleet-sightings.js';
export {
  buildFleetView,
  type FleetInput,
  type FleetOwner,
  type FleetView,
  type Liveness,
} from './fleet-view.js';
export {
  claimedResult,
  type HandHold,
  handHoldOf,
  handHoldsOf,
  hhmm,
  leaseEndOf,
  type NextIssue,
  nextByHand,
  releasedResult,
  renewedResult,
} from './hand-holds.js';
export {
  claimOnLedger,
  type LedgerClaim,
  type LedgerClaimContext,
  type LedgerGrant,
  ledgerTicketOf,
} from './ledger-claim.js';
export {
  endedByTaker,
  LedgerNotices,
  type LedgerNoticesOptions,
  type NoticePull,
  type NoticeSubject,
} from './ledger-notices.js';
export {
  PENDING_RELEASES,
  type PendingRelease,
  PendingReleases,
  pendingReleasesNamespace,
} from './pending-releases.js';
export {
  type JiraReference,
  PULL_BODY_LIMIT,
  PULL_MARKER,
  type PullBodyInput,
  renderPullBody,
  sanitizeSummary,
} from './pull-body.js';
export {
  assessTasks,
  cyclesOf,
  type Dependency,
  type LedgerTask,
  type TaskEligibility,
  type TaskEligibilityInput,
} from './task-eligibility.js';
