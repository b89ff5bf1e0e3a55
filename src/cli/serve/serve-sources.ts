import type { JiraHistoryReader } from '../../boards/jira/index.js';
import type { Clock } from '../../core/clock.js';
import { errorMessage } from '../../core/errors.js';
import { changeCursor, readyQueue } from '../../serve/queue.js';
import type { Health, ServeSources, Steering } from '../../serve/server.js';
import { readTaskDetail } from '../../serve/task-detail.js';
import type { SharedState } from '../../state/shared-state.js';
import type { FleetSource, IssueHistoryReader } from '../open/open-fleet.js';
import { statusFrame } from '../output/status-frame.js';
import { githubTaskDetail } from './github-task.js';
import { jiraTaskDetail } from './jira-task.js';

export interface SourcesOptions {
  store: SharedState;
  /**
   * A ledger board's fleet (GitHub, Jira); null on the local board. `history` (GitHub, by issue
   * number) or `keyHistory` (Jira, by key): the task page's ledger chain (without: the store's only).
   */
  fleet: (FleetSource & { history?: IssueHistoryReader; keyHistory?: JiraHistoryReader }) | null;
  clock: Clock;
  steer: <T>(act: (steering: Steering) => Promise<T>) => Promise<T>;
  /**
   * On a ledger board the fleet changes where the local store cannot see it (other workstations): while
   * someone watches, the stream also re-reads it this often (POLL_INTERVAL_MS).
   */
  refreshEveryMs?: number;
  /** The daemon's health with `run --serve`; without a daemon: the state db answers. */
  health?: () => Promise<Health>;
}

/** What the server reads, from this workstation's store and (on GitHub, Jira) the fleet reader. */
export function serveSources(options: SourcesOptions): ServeSources {
  const { store, clock } = options;
  return {
    status: async () => (await statusFrame(store, options.fleet, clock.now())).json,
    // On a ledger board the fleet document carries the claim order; the local store's is not the board's.
    queue: () => (options.fleet ? [] : readyQueue(store, clock.now())),
    task: async (id) => {
      const fleet = options.fleet;
      if (fleet?.history)
        return githubTaskDetail(store, { repository: fleet.repository, history: fleet.history }, id);
      if (fleet?.keyHistory)
        return jiraTaskDetail(store, { site: fleet.repository, history: fleet.keyHistory }, id);
      return readTaskDetail(store, id);
    },
    cursor: () => {
      const local = changeCursor(store);
      const every = options.refreshEveryMs;
      return options.fleet && every ? `${local}:${Math.floor(clock.now() / every)}` : local;
    },
    health:
      options.health ??
      (async () => {
        try {
          store.stats();
          return { ok: true, detail: 'the state database answers' };
        } catch (error) {
          return { ok: false, reason: `the state database does not answer: ${errorMessage(error)}` };
        }
      }),
    steer: options.steer,
  };
}
