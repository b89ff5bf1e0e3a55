/**
 * What humans see, derived from the ledger and never the authority: the `codex:*` labels, the
 * state comment, human steering (`codex:retry`, `codex:ignore`) and the reconciliation that
 * repairs a mirror a crash left behind.
 */
export { BoardMirror, factsOf } from './board-mirror.js';
export {
  CODEX_LABELS,
  type DaemonLabelState,
  ensureLabels,
  IGNORE_LABEL,
  reconcileLabels,
} from './labels.js';
export type { Mirror } from './mirror.js';
export { expectedMirror, MirrorReconciler } from './mirror-reconciler.js';
export { type MirrorState, parseStateComment, renderStateComment } from './state-comment/state-block.js';
export type { CommentTrust } from './state-comment/state-comment-scan.js';
export { type StateCommentOptions, StateCommentStore } from './state-comment/state-comment-store.js';
export { type PublishOptions, publishedError } from './state-comment/state-publish.js';
export { Steering } from './steering.js';
