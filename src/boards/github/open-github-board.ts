import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../config/config.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { TaskPayload } from '../../core/payload.js';
import type { OwnerIdentity } from '../../core/task.js';
import { agentPayload, buildPrompt } from '../../executors/agent-presets.js';
import { currentOwner } from '../../state/open-state.js';
import type { SharedState } from '../../state/shared-state.js';
import { createGitHubClient, type GitHubClient, type LimitInfo } from './client.js';
import { GitHubBoard } from './github-board.js';
import { GITHUB_LIMIT } from './github-status.js';
import { type IssueSnapshot, IssueSync } from './issues.js';
import { RefLedger } from './ref-ledger.js';
import { StateCommentStore } from './state-comment.js';

export interface GitHubContext {
  client: GitHubClient;
  ledger: RefLedger;
  board: GitHubBoard;
}

/** The GitHub board as the configuration describes it (GITHUB_REPOSITORY and GITHUB_TOKEN set). */
export function openGitHubBoard(
  config: Config,
  state: SharedState,
  deps: { clock: Clock; logger: Logger; onLimit?: (info: LimitInfo) => void; self?: OwnerIdentity },
): GitHubContext {
  const { repository, token, apiUrl, paceWrites } = config.github;
  if (!repository || !token) throw new Error('openGitHubBoard needs GITHUB_REPOSITORY and GITHUB_TOKEN');
  const { owner, repo } = repository;
  const { clock, logger } = deps;
  const client = createGitHubClient({
    baseUrl: apiUrl,
    token,
    etags: state.kv,
    logger,
    pacing: paceWrites,
    onLimit: (info) => {
      state.kv.set(GITHUB_LIMIT, `${owner}/${repo}`, JSON.stringify({ ...info, at: clock.now() }));
      logger.warn(info, `waiting on GitHub's ${info.kind} rate limit`);
      deps.onLimit?.(info);
    },
  });
  // Heartbeats bypass the write pacing: a few writes per interval, and they must never wait
  // behind the mirror's queue past the renew deadline.
  const heartbeatClient = createGitHubClient({
    baseUrl: apiUrl,
    token,
    etags: state.kv,
    logger,
    pacing: false,
  });
  const ledger = new RefLedger({
    octokit: client,
    heartbeatOctokit: heartbeatClient,
    owner,
    repo,
    clock,
    commits: state.kv,
    staleThresholdMs: config.sharedState.staleThresholdMs,
    logger,
  });
  const sync = new IssueSync({
    client,
    owner,
    repo,
    cursor: state.kv,
    clock,
    priorities: config.github.priorityLabels,
    logger,
  });
  const comments = new StateCommentStore({
    client,
    owner,
    repo,
    logger,
    cache: state.kv,
    clock,
    // The issue rule's associations, or a configured bot login: a fleet on several people's
    // tokens still shares one comment, a stranger's block is ignored.
    trust: { associations: config.github.trustedAssociations, logins: config.stateComment.logins },
    publish: { publishErrors: config.stateComment.publishErrors, home: homedir() },
  });
  const board = new GitHubBoard({
    client,
    owner,
    repo,
    ledger,
    sync,
    comments,
    state,
    clock,
    logger,
    policy: { trustedAssociations: config.github.trustedAssociations, taskLabels: config.github.taskLabels },
    maxRetries: config.sharedState.maxRetries,
    backoff: { baseMs: config.sharedState.backoffBaseMs, maxMs: config.sharedState.backoffMaxMs },
    workDir: join(config.stateDir, 'issues'),
    // Bound for the board's life: this process, the configured owner id and capability.
    self: deps.self ?? currentOwner(config.ownerId),
    agent: config.agent ?? null,
    payloadFor: (issue, files) => payloadFor(config, issue, files),
  });
  return { client, ledger, board };
}

/** The executor payload for an issue: from the configuration only; the issue is data in files. */
async function payloadFor(
  config: Config,
  issue: IssueSnapshot,
  files: { bodyFile: string; promptFile: string },
): Promise<TaskPayload> {
  const { kind, command, timeoutMs } = config.executor;
  switch (kind) {
    case 'noop':
      return { kind: 'noop' };
    case 'shell':
      return { kind: 'shell', cmd: command ?? 'false', timeoutMs };
    case 'codex':
    case 'claude':
      await buildPrompt(
        { number: issue.number, title: issue.title, url: issue.url, bodyFile: files.bodyFile },
        files.promptFile,
      );
      return agentPayload({ preset: kind, promptFile: files.promptFile, timeoutMs });
  }
}
