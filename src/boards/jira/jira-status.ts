/**
 * Which workflow status the mirror moves an issue to. A claimed issue goes to the working status;
 * a completed one to the review status when its attempt opened (or updated) a pull request —
 * the work waits for a person there — and to the done status otherwise. A role configured
 * as "-" ('' here) leaves the status alone; a review status of "-" sends a pull request's issue
 * to the done status, as before the review status existed.
 */

/** Target workflow statuses by name ("In Progress", "In Review", "Done"); '' leaves the status alone. */
export interface JiraStatuses {
  working: string;
  review: string;
  done: string;
}

/** The mirror's state of an issue, as far as its status is concerned. */
export type StatusRole = 'working' | 'claimed' | 'done' | 'failed' | 'poisoned' | 'released';

/** The status to move to ('' : none) for a mirrored state, with or without a pull request. */
export function targetStatus(statuses: JiraStatuses, state: StatusRole, hasPullRequest: boolean): string {
  if (state === 'working' || state === 'claimed') return statuses.working;
  if (state !== 'done') return '';
  return hasPullRequest ? statuses.review || statuses.done : statuses.done;
}
