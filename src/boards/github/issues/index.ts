/**
 * Issues as tasks: incremental sync (conditional, `since`), the synced snapshots, dependencies
 * parsed from issue bodies, which issues are eligible, and an issue's task files.
 */
export { assessIssues, type Eligibility, type EligibilityInput } from './eligibility.js';
export {
  type IssueSnapshot,
  isTrusted,
  type PullState,
  type RawIssue,
  type TrustPolicy,
  toSnapshot,
} from './issue-snapshot.js';
export { IssueStore } from './issue-store.js';
export { DEFAULT_FULL_RESYNC_MS, type IssuePull, IssueSync } from './issue-sync.js';
export { type Answering, type IssueFiles, type IssueTaskOptions, issueTask } from './issue-task.js';
