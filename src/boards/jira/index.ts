import { homedir } from 'node:os';
/**
 * The Jira board (issue 16): Jira issues as tasks, the git ledger as the authority, labels, one
 * state comment and workflow transitions as the mirror. See HANDOFF.md / README "The Jira board".
 */
import { join } from 'node:path';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { NotificationSink } from '../../core/notification.js';
import type { OwnerIdentity } from '../../core/task.js';
import type { KeyValueStore } from '../../state/kv-store.js';
import { currentOwner } from '../../state/open-state.js';
import type { SharedState } from '../../state/shared-state.js';
import {
  type ChainHistory,
  type LedgerTransport,
  RefLedger,
  readChainHistory,
} from '../github/ledger/index.js';
import type { FleetView } from '../ledger/index.js';
import { type JiraApi, jiraApiFor } from './jira-api.js';
import { JiraBoard } from './jira-board.js';
import type { JiraPayloadFor } from './jira-claim.js';
import type { JiraDelivery } from './jira-deliver.js';
import { JiraRequestError } from './jira-errors.js';
import { readJiraFleet } from './jira-fleet.js';
import { type JiraSnapshot, snapshotOf } from './jira-issue.js';
import { JiraMirror, type JiraStateLabels, type JiraStatuses } from './jira-mirror.js';
import { jiraNotices } from './jira-notices.js';
import { JiraSync } from './jira-sync.js';

export { adfToText, textToAdf } from './adf-text.js';
export { type JiraCheck, runJiraDoctor } from './doctor.js';
export { type JiraApi, jiraApiFor } from './jira-api.js';
export { JiraBoard } from './jira-board.js';
export type { JiraPayloadFor } from './jira-claim.js';
export { type JiraDelivery, pullTitle, type WithdrawnPull } from './jira-deliver.js';
export { JiraRateLimitedError, JiraRequestError, JiraUnauthorizedError } from './jira-errors.js';
export { type JiraFleetReadOptions, readJiraFleet } from './jira-fleet.js';
export type { JiraSnapshot } from './jira-issue.js';
export { readStateBlock } from './jira-mirror.js';

/** The ledger namespace of Jira chains: apart from a GitHub board's chains in the same repository. */
export const JIRA_LEDGER_NAMESPACE = 'codex-monitor-jira';

/** What the board reads of the configuration (`Config` satisfies it). */
export interface JiraBoardConfig {
  jira: {
    baseUrl: string;
    email: string | undefined;
    apiToken: string | undefined;
    bearerToken: string | undefined;
    jql: string;
    labels: JiraStateLabels & { ignore: string; retry: string };
    statuses: JiraStatuses;
    priorityLabels: Record<string, number>;
    fullResyncMs?: number;
  };
  sharedState: { staleThresholdMs: number; maxRetries: number; backoffBaseMs: number; backoffMaxMs: number };
  stateDir: string;
  ownerId: string;
  agent: string | undefined;
  /** CODEX_MONITOR_PUBLISH_ERRORS: whether a notification may carry the agent's error (redacted). */
  stateComment?: { publishErrors: boolean };
}

export interface JiraContext {
  api: JiraApi;
  ledger: RefLedger;
  board: JiraBoard;
}

export function jiraAuthOf(
  config: JiraBoardConfig['jira'],
): { email: string; apiToken: string } | { bearer: string } {
  if (config.bearerToken) return { bearer: config.bearerToken };
  if (config.email && config.apiToken) return { email: config.email, apiToken: config.apiToken };
  throw new Error('openJiraBoard needs JIRA_EMAIL and JIRA_API_TOKEN, or JIRA_BEARER_TOKEN');
}

/**
 * The Jira board as the configuration describes it. `ledgerTransport` is required: Jira has no
 * compare-and-swap, the claims live in a git repository (LEDGER_REMOTE, cli/open/open-ledger.ts).
 */
export function openJiraBoard(
  config: JiraBoardConfig,
  store: SharedState,
  deps: {
    clock: Clock;
    logger: Logger;
    payloadFor: JiraPayloadFor;
    ledgerTransport: LedgerTransport;
    self?: OwnerIdentity;
    signal?: AbortSignal;
    /** Default: jira.js against JIRA_BASE_URL. */
    api?: JiraApi;
    /** WORKSPACE=worktree: attempts' branches are pushed, with a pull request where one can be opened. */
    delivery?: JiraDelivery;
    /** Where the board's notifications go (the daemon's Notifier). */
    notify?: NotificationSink;
  },
): JiraContext {
  const { jira } = config;
  const { clock, logger } = deps;
  const self = deps.self ?? currentOwner(config.ownerId);
  // The board's issues name the tasks; the board is built below, before any notice is raised.
  let board: JiraBoard | undefined;
  const notices = deps.notify
    ? jiraNotices({
        notify: deps.notify,
        site: jira.baseUrl,
        issueOf: (id) => board?.issues.get(id),
        publish: { publishErrors: config.stateComment?.publishErrors ?? false, home: homedir() },
      })
    : undefined;
  const api =
    deps.api ??
    jiraApiFor({
      baseUrl: jira.baseUrl,
      auth: jiraAuthOf(jira),
      clock,
      ...(deps.signal ? { signal: deps.signal } : {}),
      onLimit: ({ what, retryAfterMs }) => {
        logger.warn({ what, retryAfterMs }, `waiting on Jira's rate limit (${what})`);
        notices?.rateLimited(self.id, 'REST', clock.now() + retryAfterMs);
      },
    });
  const ledger = new RefLedger({
    transport: deps.ledgerTransport,
    clock,
    staleThresholdMs: config.sharedState.staleThresholdMs,
    logger,
    namespace: JIRA_LEDGER_NAMESPACE,
  });
  const sync = new JiraSync({
    api,
    baseUrl: jira.baseUrl,
    jql: jira.jql,
    monotonic: () => clock.monotonic(),
    priorityLabels: jira.priorityLabels,
    ...(jira.fullResyncMs !== undefined ? { fullResyncMs: jira.fullResyncMs } : {}),
  });
  let me: Promise<string> | undefined;
  const mirror = new JiraMirror({
    api,
    logger,
    labels: jira.labels,
    statuses: jira.statuses,
    accountId: () => (me ??= api.myself().then((m) => m.accountId)),
    now: () => clock.now(),
  });
  board = new JiraBoard({
    api,
    sync,
    ledger,
    store,
    clock,
    logger,
    self,
    agent: config.agent ?? null,
    maxRetries: config.sharedState.maxRetries,
    backoff: { baseMs: config.sharedState.backoffBaseMs, maxMs: config.sharedState.backoffMaxMs },
    site: jira.baseUrl,
    labels: { ignore: jira.labels.ignore, retry: jira.labels.retry },
    workDir: join(config.stateDir, 'jira'),
    payloadFor: deps.payloadFor,
    mirror,
    ...(deps.delivery ? { delivery: deps.delivery } : {}),
    ...(notices ? { notices } : {}),
    lookup: async (key) => {
      try {
        return snapshotOf(await api.issue(key), jira.baseUrl, { priorityLabels: jira.priorityLabels });
      } catch (error) {
        if (error instanceof JiraRequestError && error.status === 404) return null;
        throw error;
      }
    },
  });
  return { api, ledger, board };
}

/** One Jira issue's ledger chain by key, and its title as last listed; null: not listed by this reader. */
export type JiraHistoryReader = (
  key: string,
  signal?: AbortSignal,
) => Promise<{ chain: ChainHistory; title: string | null } | null>;

/**
 * A fleet reader for the configured Jira site: its own issue sync (a daemon's listing is not
 * moved) and issue copy, kept across reads, over the given ledger transport (LEDGER_REMOTE); and,
 * on the same transport, the reader of one issue's chain (the dashboard's task page).
 */
export function openJiraFleetReader(
  config: Pick<JiraBoardConfig, 'jira' | 'sharedState'>,
  deps: {
    clock: Clock;
    kv: KeyValueStore;
    ledgerTransport: LedgerTransport;
    ownerId: string;
    /** Default: jira.js against JIRA_BASE_URL. */
    api?: JiraApi;
  },
): { read: (signal?: AbortSignal) => Promise<FleetView>; history: JiraHistoryReader } {
  const { jira } = config;
  // A reader waits on no rate limit: the look fails at once, for `status` to say why.
  const api =
    deps.api ??
    jiraApiFor({ baseUrl: jira.baseUrl, auth: jiraAuthOf(jira), clock: deps.clock, maxRetryWaitMs: 0 });
  const sync = new JiraSync({
    api,
    baseUrl: jira.baseUrl,
    jql: jira.jql,
    monotonic: () => deps.clock.monotonic(),
    priorityLabels: jira.priorityLabels,
    ...(jira.fullResyncMs !== undefined ? { fullResyncMs: jira.fullResyncMs } : {}),
  });
  const issues = new Map<number, JiraSnapshot>();
  const read = (signal?: AbortSignal) =>
    readJiraFleet({
      site: jira.baseUrl,
      transport: deps.ledgerTransport,
      namespace: JIRA_LEDGER_NAMESPACE,
      sync,
      issues,
      kv: deps.kv,
      clock: deps.clock,
      staleThresholdMs: config.sharedState.staleThresholdMs,
      labels: jira.labels,
      ownerId: deps.ownerId,
      signal,
    });
  const history: JiraHistoryReader = async (key, signal) => {
    const wanted = key.toUpperCase();
    const issue = [...issues.values()].find((i) => i.key.toUpperCase() === wanted);
    if (!issue) return null;
    const chain = await readChainHistory(deps.ledgerTransport, issue.id, {
      namespace: JIRA_LEDGER_NAMESPACE,
      ...(signal ? { signal } : {}),
    });
    return { chain, title: issue.title };
  };
  return { read, history };
}
