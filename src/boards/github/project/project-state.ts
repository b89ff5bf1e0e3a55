/**
 * Which column a card belongs in, from what the mirror shows of the ledger. Declared here (not
 * imported from the config) so boards/github depends on no layer above it; the config's
 * ProjectConfig satisfies ProjectSettings.
 */
import type { DaemonLabelState } from '../mirror/index.js';

export type ProjectState = 'claimed' | 'review' | 'done' | 'poisoned';

/** What each state means, in words (doctor, logs). */
export const PROJECT_STATE_NAMES: Record<ProjectState, string> = {
  claimed: 'claimed or working',
  review: 'pull request opened',
  done: 'done',
  poisoned: 'poisoned',
};

export interface ProjectSettings {
  /** The project's owner login; null: the repository's owner. */
  owner: string | null;
  number: number;
  statusField: string;
  statusMap: Partial<Record<ProjectState, string>>;
  readyStatus: string | undefined;
}

/**
 * claimed/working → claimed; done with a pull request not yet verified → review; done without
 * one, or verified → done; failed (poisoned) → poisoned. Anything else (released for a retry,
 * stale, reset) leaves the card where it is: null.
 */
export function projectStateOf(label: DaemonLabelState, pr: number | null | undefined): ProjectState | null {
  switch (label) {
    case 'claimed':
    case 'working':
      return 'claimed';
    case 'done':
      return pr ? 'review' : 'done';
    case 'verified':
      return 'done';
    case 'failed':
      return 'poisoned';
    default:
      return null;
  }
}
