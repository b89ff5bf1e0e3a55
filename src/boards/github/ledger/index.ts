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
export type {
  LedgerOwnerView,
  LedgerProblem,
  LedgerTaskState,
  LedgerTaskView,
  LedgerView,
} from './records/ledger-view.js';
export { RefLedger } from './ref-ledger.js';
export { RestTransport } from './rest/rest-transport.js';
export type { LedgerTransport } from './transport.js';
