/**
 * The reviewer of `run` on GitHub (propose → verify → apply): when REVIEW_EXECUTOR is set (or
 * the daemon's capability is `review`), the board's review work gets an agent factory — the
 * configured executor in a detached worktree of the pull request's head, the diff against its
 * base, the prompt from review-files.ts. Undefined when this daemon does not review.
 */
import { join } from 'node:path';
import type { GitHubAppAuth } from '../../boards/github/http/index.js';
import type { ReviewSubject, ReviewWorkOptions } from '../../boards/github/index.js';
import type { ReviewTicket } from '../../boards/github/ledger/index.js';
import type { Config } from '../../config/config.js';
import { InputError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { TaskPayload } from '../../core/payload.js';
import { agentPayload, customPreset, type Executors } from '../../executors/index.js';
import { runGit } from '../../workspaces/index.js';
import { gitCredentialsFor } from './git-credentials.js';
import { reviewAgent } from './review-agent.js';

const GIT_TIMEOUT_MS = 120_000;
const SHA = /^[0-9a-f]{40}$/;

export function openReview(
  config: Config,
  deps: {
    executors: Executors;
    logger: Logger;
    app?: GitHubAppAuth;
    onResult?: ReviewWorkOptions['onResult'];
  },
): ReviewWorkOptions | undefined {
  if (config.github.repository === undefined) return undefined;
  const payloadFor = reviewPayloads(config);
  if (!payloadFor) return undefined;
  const root = join(config.stateDir, 'reviews');
  const executor = deps.executors.executorFor(payloadFor(join(root, 'prompt.md')));
  const credentials = gitCredentialsFor(config, deps.app);
  const { repoDir, remote } = config.workspace;
  const git = async (args: string[], signal: AbortSignal) =>
    (await runGit(args, { cwd: repoDir, env: await credentials(), timeoutMs: GIT_TIMEOUT_MS, signal }))
      .stdout;
  return {
    maxRounds: config.review.maxRounds,
    renewDeadlineMs: config.sharedState.renewDeadlineMs,
    ...(deps.onResult ? { onResult: deps.onResult } : {}),
    agent: (describeOnce, signal) => {
      // One GET of the pull request serves the prompt and the worktree.
      const described = new Map<string, Promise<ReviewSubject>>();
      const describe = (t: ReviewTicket) => {
        const key = `${t.pr}:${t.epoch}`;
        if (!described.has(key)) described.set(key, describeOnce(t));
        return described.get(key)!;
      };
      const dirOf = (t: ReviewTicket) => join(root, String(t.pr), String(t.epoch), 'head');
      const inner = reviewAgent({
        executor,
        payloadFor,
        root,
        signal,
        describe,
        workspace: async (t) => {
          const subject = await describe(t);
          if (!SHA.test(t.headSha))
            throw new Error(`pull request #${t.pr}: unexpected head sha ${t.headSha}`);
          const base = `refs/codex-monitor/review/${t.pr}/base`;
          // Refspecs start with `+refs/heads/`: a branch name from GitHub never reads as a flag.
          await git(
            [
              'fetch',
              '--no-tags',
              remote,
              `+refs/heads/${subject.head}:refs/codex-monitor/review/${t.pr}/head`,
              `+refs/heads/${subject.pr.base}:${base}`,
            ],
            signal,
          );
          await git(['worktree', 'add', '--detach', dirOf(t), t.headSha], signal);
          return { dir: dirOf(t), diff: await git(['diff', `${base}...${t.headSha}`], signal) };
        },
      });
      return async (ticket) => {
        try {
          return await inner(ticket);
        } finally {
          await git(['worktree', 'remove', '--force', dirOf(ticket)], new AbortController().signal).catch(
            (error) => deps.logger.debug({ err: error }, 'no review worktree to remove'),
          );
        }
      };
    },
  };
}

/** The reviewing agent's payload given its prompt file: REVIEW_EXECUTOR's preset or REVIEW_COMMAND. */
function reviewPayloads(config: Config): ((promptFile: string) => TaskPayload) | undefined {
  const kind = config.review.executor ?? (config.agent === 'review' ? config.executor.kind : undefined);
  if (kind === undefined || kind === 'noop') return undefined;
  const command = config.review.command ?? config.executor.command;
  const timeout = { timeoutMs: config.executor.timeoutMs };
  if (kind === 'shell') {
    if (command === undefined) {
      throw new InputError(
        'REVIEW_EXECUTOR=shell needs REVIEW_COMMAND: the command that reads the review prompt on stdin and writes review.json to CODEX_MONITOR_ARTIFACTS_DIR.',
      );
    }
    return (promptFile) => ({ kind: 'shell', cmd: command, stdinFile: promptFile, ...timeout });
  }
  const preset = kind === 'custom' ? customPreset(command, config.executor.prompt) : kind;
  return (promptFile) => agentPayload({ preset, promptFile, ...timeout });
}
