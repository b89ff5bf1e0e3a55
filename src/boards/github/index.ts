import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { NotificationSink } from '../../core/notification.js';
import type { OwnerIdentity } from '../../core/task.js';
import { currentOwner } from '../../state/open-state.js';
import type { SharedState } from '../../state/shared-state.js';
import { type GitHubAuth, stateCommentTrust } from './github-auth.js';

export { type GitHubAuth, type GitHubIdentity, openGitHubAuth } from './github-auth.js';

import { BoardNotices, webUrlOf } from './board-notices.js';
import { GitHubBoard } from './github-board.js';
import { createGitHubClient, type GitHubClient, type LimitInfo, type ResponseInfo } from './http/index.js';
import { IssueSync, type IssueTaskOptions } from './issues/index.js';
import { type LedgerTransport, RefLedger, RestTransport } from './ledger/index.js';
import { GITHUB_LIMIT } from './limit-record.js';
import { StateCommentStore } from './mirror/index.js';
import { ProjectMirror, type ProjectSettings, ProjectSync, ReadyGate } from './project/index.js';
import type { ReviewWorkOptions } from './review-work.js';

export type { ReviewAgentFactory, ReviewSubject, ReviewWorkOptions } from './review-work.js';

export interface GitHubContext {
  client: GitHubClient;
  ledger: RefLedger;
  board: GitHubBoard;
  /** GITHUB_PROJECT's project (doctor checks it). */
  project?: ProjectSync;
}

/** How the executor's payload for an issue is made: from the configuration, never from the issue. */
export type PayloadFor = IssueTaskOptions['payloadFor'];

/** Observers of the board's GitHub clients and ledger (the process's metrics). */
export interface GitHubBoardObservers {
  onLimit?: (info: LimitInfo) => void;
  /** Every GitHub answer of both clients (metrics: requests by route and status, rate-limit headers). */
  onResponse?: (info: ResponseInfo) => void;
  /** A ledger write refused because another writer moved the ref first (metrics). */
  onCasConflict?: () => void;
}

/**
 * What the board reads of the configuration. `Config` satisfies it; it is declared here so that
 * boards/github depends on no other layer than core, state and daemon (docs/architecture.md).
 */
export interface GitHubBoardConfig {
  github: {
    repository: { owner: string; repo: string } | undefined;
    token: string | undefined;
    app?: { appId: string; privateKey: string; installationId: number } | undefined;
    apiUrl: string;
    paceWrites: boolean;
    /** Period of the full resync of open issues (default 10 minutes). */
    fullResyncMs?: number;
    taskLabels: string[];
    trustedAssociations: string[];
    priorityLabels: Record<string, number>;
    /** GITHUB_PROJECT and its settings: the card mirror, and the Ready gate. */
    project?: ProjectSettings | undefined;
  };
  sharedState: { staleThresholdMs: number; maxRetries: number; backoffBaseMs: number; backoffMaxMs: number };
  stateComment: { logins: string[]; publishErrors: boolean };
  stateDir: string;
  ownerId: string;
  agent: string | undefined;
  workspace: { mode: 'worktree' | 'none'; pr: { draft: boolean; labels: string[] } };
}

/**
 * The GitHub board as the configuration describes it (GITHUB_REPOSITORY, and GITHUB_TOKEN or a
 * GitHub App). With an app, `deps.auth` (openGitHubAuth) is required: its token cache is shared
 * with git, and its bot login is trusted as the author of state comments.
 */
export function openGitHubBoard(
  config: GitHubBoardConfig,
  store: SharedState,
  deps: GitHubBoardObservers & {
    clock: Clock;
    logger: Logger;
    payloadFor: PayloadFor;
    self?: OwnerIdentity;
    /** From openGitHubAuth; default: GITHUB_TOKEN. */
    auth?: GitHubAuth;
    /** The ledger over git (cli/open-ledger.ts); default: GitHub's REST git-data API. */
    ledgerTransport?: LedgerTransport;
    /** Where notifications go (src/notify's Notifier); default: none. */
    notify?: NotificationSink;
    /** This daemon also reviews the fleet's pull requests (cli/open/open-review.ts). */
    review?: ReviewWorkOptions;
    /** Aborted when the daemon starts to stop: failed requests are no longer retried (http/client.ts). */
    stopping?: AbortSignal;
  },
): GitHubContext {
  const { repository, token, apiUrl, paceWrites } = config.github;
  const auth = deps.auth?.client ?? (token === undefined ? undefined : { token });
  if (!repository || !auth) {
    throw new Error(
      'openGitHubBoard needs GITHUB_REPOSITORY, and GITHUB_TOKEN or the auth of openGitHubAuth',
    );
  }
  const { owner, repo } = repository;
  const { clock, logger } = deps;
  const publish = { publishErrors: config.stateComment.publishErrors, home: homedir() };
  const notices = deps.notify
    ? new BoardNotices({ notify: deps.notify, owner, repo, webUrl: webUrlOf(apiUrl), publish })
    : undefined;
  const selfId = deps.self?.id ?? config.ownerId;
  const client = createGitHubClient({
    baseUrl: apiUrl,
    ...auth,
    etags: store.kv,
    logger,
    pacing: paceWrites,
    ...(deps.stopping ? { stopRetries: deps.stopping } : {}),
    ...(deps.onResponse ? { onResponse: deps.onResponse } : {}),
    onLimit: (info) => {
      store.kv.set(GITHUB_LIMIT, `${owner}/${repo}`, JSON.stringify({ ...info, at: clock.now() }));
      logger.warn(info, `waiting on GitHub's ${info.kind} rate limit`);
      deps.onLimit?.(info);
      notices?.rateLimited(selfId, info.kind, info.resetAt);
    },
  });
  // Heartbeats bypass the write pacing: a few writes per interval, and they must never wait
  // behind the mirror's queue past the renew deadline.
  const heartbeatClient = createGitHubClient({
    baseUrl: apiUrl,
    ...auth,
    etags: store.kv,
    logger,
    pacing: false,
    ...(deps.stopping ? { stopRetries: deps.stopping } : {}),
    ...(deps.onResponse ? { onResponse: deps.onResponse } : {}),
  });
  // Over git, heartbeats are pushes that no REST queue paces: one transport does both.
  const ledger = new RefLedger({
    transport: deps.ledgerTransport ?? new RestTransport(client, owner, repo, store.kv, logger),
    heartbeatTransport:
      deps.ledgerTransport ?? new RestTransport(heartbeatClient, owner, repo, store.kv, logger),
    clock,
    staleThresholdMs: config.sharedState.staleThresholdMs,
    logger,
    ...(deps.onCasConflict ? { onCasConflict: deps.onCasConflict } : {}),
  });
  const sync = new IssueSync({
    client,
    owner,
    repo,
    cursor: store.kv,
    ...(config.github.fullResyncMs !== undefined ? { fullResyncMs: config.github.fullResyncMs } : {}),
    monotonic: () => clock.monotonic(),
    priorities: config.github.priorityLabels,
    logger,
  });
  const comments = new StateCommentStore({
    client,
    owner,
    repo,
    logger,
    cache: store.kv,
    clock,
    // The issue rule's associations, or a configured bot login: a fleet on several people's
    // tokens still shares one comment, a stranger's block is ignored.
    trust: stateCommentTrust(config.github.trustedAssociations, config.stateComment.logins, deps.auth?.app),
    publish,
  });
  const projectSync = config.github.project
    ? new ProjectSync({
        client,
        owner,
        repo,
        project: config.github.project,
        logger,
        cache: store.kv,
        monotonic: () => clock.monotonic(),
      })
    : undefined;
  const readyStatus = config.github.project?.readyStatus;
  const board = new GitHubBoard({
    client,
    owner,
    repo,
    ledger,
    sync,
    comments,
    store,
    clock,
    logger,
    policy: { trustedAssociations: config.github.trustedAssociations, taskLabels: config.github.taskLabels },
    maxRetries: config.sharedState.maxRetries,
    backoff: { baseMs: config.sharedState.backoffBaseMs, maxMs: config.sharedState.backoffMaxMs },
    workDir: join(config.stateDir, 'issues'),
    // Bound for the board's life: this process, the configured owner id and capability.
    self: deps.self ?? currentOwner(config.ownerId),
    agent: config.agent ?? null,
    payloadFor: deps.payloadFor,
    // Attempts in worktrees deliver pull requests.
    ...(config.workspace.mode === 'worktree' ? { pullRequests: config.workspace.pr } : {}),
    ...(notices ? { notices } : {}),
    ...(deps.review ? { review: deps.review } : {}),
    ...(projectSync ? { project: new ProjectMirror(projectSync, logger, () => clock.monotonic()) } : {}),
    ...(projectSync && readyStatus ? { readyGate: new ReadyGate(projectSync, readyStatus, logger) } : {}),
  });
  return { client, ledger, board, ...(projectSync ? { project: projectSync } : {}) };
}
