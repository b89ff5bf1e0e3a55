import { join } from 'node:path';
import type { GitHubAuth, GitHubBoardObservers, ReviewWorkOptions } from '../../boards/github/index.js';
import { LocalBoard } from '../../boards/local/local-board.js';
import type { Config } from '../../config/config.js';
import type { Clock } from '../../core/clock.js';
import { InputError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { NotificationSink } from '../../core/notification.js';
import type { OwnerIdentity } from '../../core/task.js';
import type { Board } from '../../daemon/board.js';
import { currentOwner } from '../../state/open-state.js';
import type { SharedState } from '../../state/shared-state.js';
import { gitCredentialsFor } from './git-credentials.js';
import { githubPayloads } from './github-payload.js';

/**
 * The board the configuration names — GitHub when GITHUB_REPOSITORY is set, else the embedded
 * local board — opened for one owner (this process) and the configured agent capability.
 * The one place a command chooses a board: everything after it speaks `Board`. The GitHub
 * board (with Octokit: 28 MB of a process's memory) is loaded only when it is the one opened.
 */
export async function openBoard(
  config: Config,
  store: SharedState,
  /** `auth`: from openGitHubAuthFor, when the workspaces share it (else opened here). */
  deps: {
    clock: Clock;
    logger: Logger;
    owner?: OwnerIdentity;
    auth?: GitHubAuth;
    announce?: boolean;
    /** Stops the ledger's git calls when the daemon is forced to exit. */
    signal?: AbortSignal;
    /** Aborted when the daemon starts to stop: the GitHub clients retry no failed request after. */
    stopping?: AbortSignal;
    /** Where the board's notifications go (the daemon's Notifier). */
    notify?: NotificationSink;
    /** The GitHub board's client and ledger observers (the process's metrics: dashboard-feed.ts). */
    observe?: GitHubBoardObservers;
    /** This daemon also reviews the fleet's pull requests (open-review.ts; GitHub only). */
    review?: ReviewWorkOptions;
  },
): Promise<Board> {
  const owner = deps.owner ?? currentOwner(config.ownerId);
  if (config.jira !== undefined) return openJiraBoardFor(config, store, { ...deps, owner });
  if (config.github.repository !== undefined) {
    const { clock, logger } = deps;
    const { openGitHubBoard } = await import('../../boards/github/index.js');
    const auth = deps.auth ?? (await openGitHubAuthFor(config, clock));
    const { openLedgerTransport } = await import('./open-ledger.js');
    const credentials = gitCredentialsFor(config, auth?.app);
    const signal = deps.signal;
    const ledger = await openLedgerTransport(config, { logger, credentials, ...(signal ? { signal } : {}) });
    // The daemon says which transport it speaks; one-shot commands keep stderr for answers.
    logger[deps.announce ? 'info' : 'debug']({ ledger: ledger.reason }, `claim ledger: ${ledger.reason}`);
    return openGitHubBoard(config, store, {
      clock,
      logger,
      payloadFor: githubPayloads(config),
      self: owner,
      ...(auth ? { auth } : {}),
      ...(ledger.transport ? { ledgerTransport: ledger.transport } : {}),
      ...(deps.notify ? { notify: deps.notify } : {}),
      ...(deps.review ? { review: deps.review } : {}),
      ...(deps.stopping ? { stopping: deps.stopping } : {}),
      ...deps.observe,
    }).board;
  }
  return new LocalBoard(store, {
    owner,
    agent: config.agent ?? null,
    worktrees: config.workspace.mode === 'worktree',
    ...(deps.notify ? { notify: deps.notify } : {}),
    verifyRounds: {
      maxRounds: config.review.maxRounds,
      artifactsRoot: join(config.stateDir, 'artifacts'),
      reviewsDir: join(config.stateDir, 'reviews'),
    },
  });
}

/**
 * How the daemon authenticates on GitHub (GITHUB_TOKEN or a GitHub App), opened once so the
 * board and git share it; undefined on the local board. An app's wrong key or installation id
 * fails here, at start-up, with an error naming the setting.
 */
export async function openGitHubAuthFor(config: Config, clock: Clock): Promise<GitHubAuth | undefined> {
  if (config.github.repository === undefined) return undefined;
  const { openGitHubAuth } = await import('../../boards/github/index.js');
  return openGitHubAuth(config, { clock });
}

/**
 * The Jira board (JIRA_BASE_URL): its claims in the git ledger at LEDGER_REMOTE (the configuration
 * requires it), git speaking with the user's own credentials.
 */
async function openJiraBoardFor(
  config: Config,
  store: SharedState,
  deps: {
    clock: Clock;
    logger: Logger;
    owner: OwnerIdentity;
    announce?: boolean;
    signal?: AbortSignal;
    /** GITHUB_REPOSITORY's credentials: with worktrees, attempts open pull requests there. */
    auth?: GitHubAuth;
    notify?: NotificationSink;
  },
): Promise<Board> {
  const { openJiraBoard } = await import('../../boards/jira/index.js');
  const { jiraDeliversPulls, openJiraDelivery } = await import('./jira-delivery.js');
  const { openLedgerTransport } = await import('./open-ledger.js');
  const { jiraPayloads } = await import('./jira-payload.js');
  const { logger, clock, signal } = deps;
  const credentials = gitCredentialsFor(config, undefined);
  const ledger = await openLedgerTransport(config, { logger, credentials, ...(signal ? { signal } : {}) });
  if (!ledger.transport) {
    throw new InputError(
      `The Jira board keeps its claims in a git repository, but ${ledger.reason}: set LEDGER_REMOTE and LEDGER_TRANSPORT=git (or auto).`,
    );
  }
  logger[deps.announce ? 'info' : 'debug']({ ledger: ledger.reason }, `claim ledger: ${ledger.reason}`);
  // A one-shot command (hands, steering) is given no auth: opened here when pull requests need it.
  const auth = deps.auth ?? (jiraDeliversPulls(config) ? await openGitHubAuthFor(config, clock) : undefined);
  const delivery = await openJiraDelivery(config, store, { clock, logger, ...(auth ? { auth } : {}) });
  return openJiraBoard({ ...config, jira: config.jira! }, store, {
    clock,
    logger,
    payloadFor: jiraPayloads(config),
    ledgerTransport: ledger.transport,
    self: deps.owner,
    ...(signal ? { signal } : {}),
    ...(delivery ? { delivery } : {}),
    ...(deps.notify ? { notify: deps.notify } : {}),
  }).board;
}
