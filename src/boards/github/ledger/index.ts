/**
 * The claim ledger: one chain of commits per issue and one heartbeat chain per owner, moved
 * only by compare-and-swap. The authority on who works which issue. Imports nothing else of
 * the GitHub board: http/, issues/ and mirror/ build on it, never the reverse.
 */

export { GitTransport, type GitTransportOptions } from './git/git-transport.js';
export { LedgerRemoteError } from './git/remote-errors.js';
export { CHAIN_BOUND } from './ledger-chain.js';
export { LedgerBadRefError, LedgerPermissionError, LedgerUncertainError } from './ledger-errors.js';
export { type ChainEntry, type ChainHistory, readChainHistory } from './ledger-history.js';
export type {
  LedgerClaimResult,
  LedgerOptions,
  LedgerReleaseResult,
  LedgerTicket,
  LedgerWriteResult,
} from './ledger-types.js';
export { type OwnerRecord, parseOwnerRecord, type TaskRecord } from './records/ledger-record.js';
export { LedgerRefs } from './records/ledger-refs.js';
export type {
  LedgerOwnerView,
  LedgerProblem,
  LedgerTaskState,
  LedgerTaskView,
  LedgerView,
} from './records/ledger-view.js';
export { RefLedger } from './ref-ledger.js';
export { RestTransport } from './rest/rest-transport.js';
export { type ReviewCandidate, reviewCandidates } from './reviews/review-candidates.js';
export {
  ReviewChain,
  type ReviewChainOptions,
  type ReviewClaimResult,
  type ReviewTicket,
  type ReviewWriteResult,
} from './reviews/review-chain.js';
export type { ReviewOutcome } from './reviews/review-outcome.js';
export {
  decideReview,
  type ReviewClaimFacts,
  type ReviewDecision,
  type ReviewRefusal,
} from './reviews/review-policy.js';
export { type PostOutcome, postVerdict, type ReviewPoster } from './reviews/review-post.js';
export { REVIEW_VERDICTS, type ReviewRecord, type ReviewVerdict } from './reviews/review-record.js';
export type { LedgerTransport } from './transport.js';
