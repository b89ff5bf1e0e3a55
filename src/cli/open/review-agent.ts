/**
 * The reviewing agent of a review round (boards/github/review-round.ts `ReviewAgent`), built
 * where executors and the board meet: the prompt (review-files.ts) and the diff go to files
 * under the state directory, the configured executor runs in the PR head's working tree with
 * the prompt (an agent preset reads it on stdin or after its flag), and its `review.json` in
 * the artifacts directory is the verdict. A failed run throws: the round releases as failed.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReviewTicket } from '../../boards/github/ledger/index.js';
import {
  formatReviewPrompt,
  REVIEW_FILE,
  type ReviewPromptInput,
  readReviewVerdict,
} from '../../boards/github/review-files.js';
import type { ReviewAgent } from '../../boards/github/review-round.js';
import type { TaskPayload } from '../../core/payload.js';
import type { Executor } from '../../executors/index.js';

export interface ReviewAgentOptions {
  executor: Executor;
  /** The executor payload given the prompt file (REVIEW_EXECUTOR's preset, or REVIEW_COMMAND). */
  payloadFor(promptFile: string): TaskPayload;
  /** Where prompts, diffs and artifacts of review rounds go (under the state directory). */
  root: string;
  /** The PR head's working tree and its diff against the base, for the claimed head. */
  workspace(ticket: ReviewTicket): Promise<{ dir: string; diff: string }>;
  /** What the prompt says of the pull request and its issue (read from GitHub: untrusted text). */
  describe(ticket: ReviewTicket): Promise<Omit<ReviewPromptInput, 'diffFile' | 'round'>>;
  signal: AbortSignal;
}

export function reviewAgent(o: ReviewAgentOptions): ReviewAgent {
  return async (ticket) => {
    const dir = join(o.root, String(ticket.pr), String(ticket.epoch));
    await mkdir(dir, { recursive: true });
    const diffFile = join(dir, 'diff.patch');
    const promptFile = join(dir, 'prompt.md');
    const artifactsDir = join(dir, 'artifacts');
    const [work, described] = await Promise.all([o.workspace(ticket), o.describe(ticket)]);
    await writeFile(diffFile, work.diff);
    await writeFile(promptFile, formatReviewPrompt({ ...described, diffFile, round: ticket.round }));
    const result = await o.executor.run(
      {
        taskId: `review-${ticket.pr}`,
        title: `Review of #${ticket.pr}`,
        attempt: ticket.round + 1,
        epoch: ticket.epoch,
        ownerId: ticket.owner,
        payload: o.payloadFor(promptFile),
        artifactsDir,
        workdir: work.dir,
        env: { CODEX_MONITOR_REVIEW_PR: String(ticket.pr), CODEX_MONITOR_REVIEW_DIFF_FILE: diffFile },
      },
      o.signal,
    );
    if (result.outcome !== 'complete') {
      throw new Error(`the reviewing agent ${result.outcome}: ${result.error ?? `exit ${result.exitCode}`}`);
    }
    return readReviewVerdict(join(artifactsDir, REVIEW_FILE));
  };
}
