/**
 * A world of Jira boards for the contract: the Jira fake over real HTTP, the claims in a git
 * ledger (a bare repository over file://, one cache per daemon), one state directory per daemon
 * (separate workstations), a clock the test moves for backoffs and stale thresholds.
 */
import { join } from 'node:path';
import { GitTransport } from '../../src/boards/github/ledger/index.js';
import { type JiraDelivery, openJiraBoard } from '../../src/boards/jira/index.js';
import { silentLogger } from '../../src/core/logger.js';
import type { NotificationSink } from '../../src/core/notification.js';
import type { Board } from '../../src/daemon/board.js';
import { currentOwner, openSharedState } from '../../src/state/open-state.js';
import type { SharedState } from '../../src/state/shared-state.js';
import { createBareRepo } from '../support/git-server/index.js';
import { DEFAULT_USER, type FakeJira, startFakeJira } from '../support/jira-fake/index.js';
import { MovedClock } from '../support/moved-clock.js';
import { useTempDirs } from '../support/temp-dir.js';
import type { BoardWorld } from './board-contract.js';

const tempDir = useTempDirs();
const MAX_RETRIES = 2;
const STALE_MS = 3_000;
const BACKOFF_MAX_MS = 2_000;

export const JIRA_TEST_SETTINGS = {
  baseUrl: '',
  email: DEFAULT_USER.email,
  apiToken: DEFAULT_USER.apiToken,
  bearerToken: undefined,
  jql: 'project = OPS AND labels = codex',
  labels: {
    ignore: 'codex-ignore',
    retry: 'codex-retry',
    working: 'codex-working',
    done: 'codex-done',
    failed: 'codex-failed',
  },
  statuses: { working: 'In Progress', review: 'In Review', done: 'Done' },
  priorityLabels: {},
};

/** Call from a test file (it registers temp-dir clean-up hooks). */
export async function jiraWorld(): Promise<
  BoardWorld & {
    fake: FakeJira /** While on, every git call to the ledger fails. */;
    ledgerDown(on: boolean): void;
    /**
     * A board whose daemon keeps its state in `stateDir` (another board of it: a restart);
     * `delivery`: its attempts work in worktrees and deliver (jira-pull-requests.test.ts);
     * `notify`: where its notifications go (jira-notify.test.ts).
     */
    open(
      ownerId: string,
      stateDir?: string,
      delivery?: JiraDelivery,
      notify?: NotificationSink,
    ): Promise<Board>;
    /** Closes the local store of the daemon at `stateDir`, as its process ending would. */
    stop(stateDir: string): void;
  }
> {
  const fake = await startFakeJira();
  const root = tempDir();
  const remote = `file://${createBareRepo(join(root, 'ledger.git'))}`;
  const clock = new MovedClock();
  const stores = new Map<string, SharedState>();
  let down = false;
  // git refuses every transport while GIT_ALLOW_PROTOCOL names none: an outage of the ledger's host.
  const auth = async (): Promise<Record<string, string>> => (down ? { GIT_ALLOW_PROTOCOL: 'none' } : {});
  return {
    fake,
    ledgerDown(on) {
      down = on;
    },
    maxRetries: MAX_RETRIES,
    longerThanAnyWait: STALE_MS + BACKOFF_MAX_MS,
    stop(stateDir) {
      stores.get(stateDir)?.close();
      stores.delete(stateDir);
    },
    async open(
      ownerId: string,
      stateDir: string = join(tempDir(), 'state'),
      delivery?: JiraDelivery,
      notify?: NotificationSink,
    ) {
      const sharedState = {
        staleThresholdMs: STALE_MS,
        maxRetries: MAX_RETRIES,
        backoffBaseMs: 1_000,
        backoffMaxMs: BACKOFF_MAX_MS,
        ownerStaleTtlMs: STALE_MS,
      };
      const store = openSharedState(
        { stateDir, sharedState, events: { maxEvents: 1000, retentionDays: 1 } },
        { clock },
      );
      stores.set(stateDir, store);
      const transport = new GitTransport({
        remote,
        cacheDir: join(stateDir, 'ledger.git'),
        auth,
        logger: silentLogger(),
      });
      const { board } = openJiraBoard(
        {
          jira: { ...JIRA_TEST_SETTINGS, baseUrl: fake.url },
          sharedState,
          stateDir,
          ownerId,
          agent: undefined,
        },
        store,
        {
          clock,
          logger: silentLogger(),
          payloadFor: async () => ({ kind: 'noop' }),
          ledgerTransport: transport,
          self: currentOwner(ownerId),
          ...(delivery ? { delivery } : {}),
          ...(notify ? { notify } : {}),
        },
      );
      return board;
    },
    async seed(count) {
      return Array.from({ length: count }, () => {
        const issue = fake.create({
          project: 'OPS',
          summary: 'A task',
          description: 'Do it.',
          labels: ['codex'],
        });
        return { id: `jira:${issue.key}`, ref: issue.key };
      });
    },
    async elapse(ms) {
      clock.advance(ms);
    },
    async silence() {
      // Nothing to stop: these boards beat only when the test calls heartbeat.
    },
    async close() {
      for (const store of stores.values()) store.close();
      stores.clear();
      await fake.close();
    },
  };
}
