import type { Clock } from '../../core/clock.js';
import { errorMessage } from '../../core/errors.js';
import { changeCursor, readyQueue } from '../../serve/queue.js';
import type { Health, ServeSources, Steering } from '../../serve/server.js';
import { readTaskDetail } from '../../serve/task-detail.js';
import type { SharedState } from '../../state/shared-state.js';
import type { FleetSource, IssueHistoryReader } from '../open/open-fleet.js';
import { statusFrame } from '../output/status-frame.js';
import { githubTaskDetail } from './github-task.js';

export interface SourcesOptions {
  store: SharedState;
  /**
   * A ledger board's fleet (GitHub, Jira); null on the local board. `history`: the task page's
   * ledger chain, GitHub only (without: the store's only).
   */
  fleet: (FleetSource & { history?: IssueHistoryReader }) | null;
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
      const github = options.fleet;
      return github?.history
        ? githubTaskDetail(store, { repository: github.repository, history: github.history }, id)
        : readTaskDetail(store, id);
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
