/**
 * Review rounds of `verify: <agent>` on the local board, as on GitHub: a verification that fails
 * is a refusal that sends the verified task back to the queue (state/claims/refuse-verification.ts),
 * and the task's next attempt is given the review — a file named by `CODEX_MONITOR_REVIEW_FILE`,
 * as the GitHub board gives a change request — until REVIEW_MAX_ROUNDS refusals poison the
 * verification for a human.
 *
 * The review is the verifier's `review.md` in its artifacts directory
 * (`CODEX_MONITOR_ARTIFACTS_DIR`) when it wrote one, else its error (the last line it wrote on
 * stderr).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { taskDirName } from '../../core/safe-path.js';
import type { ActiveClaim, BoardRelease } from '../../daemon/board.js';
import type { SharedState } from '../../state/shared-state.js';

export interface VerifyRoundsOptions {
  /** REVIEW_MAX_ROUNDS. */
  maxRounds: number;
  /** Where attempts keep their artifacts (`<state dir>/artifacts`): the verifier's review.md. */
  artifactsRoot: string;
  /** Where the reviews given to next attempts are written (`<state dir>/reviews`). */
  reviewsDir: string;
}

export const REVIEW_FILE = 'review.md';
/** Bounds what is read of a verifier's review file. */
const MAX_REVIEW_CHARS = 64 * 1024;

export class VerifyRounds {
  constructor(
    private readonly store: SharedState,
    private readonly o: VerifyRoundsOptions,
  ) {}

  /** The environment that hands a task's latest review to its next attempt (empty: none). */
  reviewEnv(taskId: string): Record<string, string> {
    const review = this.store.verifyReview(taskId);
    if (!review) return {};
    const dir = join(this.o.reviewsDir, taskDirName(taskId));
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `round-${review.round}.md`);
    writeFileSync(
      file,
      `# Verification refused by ${review.by} (round ${review.round})\n\n${review.review}\n`,
    );
    return { CODEX_MONITOR_REVIEW_FILE: file };
  }

  /** A failed verification: recorded as a refusal. Null when `claim` is not one (a normal release). */
  refuse(claim: ActiveClaim, error: string | undefined): BoardRelease | null {
    const verified = claim.task.env?.CODEX_MONITOR_VERIFY_OF;
    if (verified === undefined) return null;
    const review = this.reviewOf(claim) ?? error ?? 'the verification failed without a message';
    const result = this.store.refuseVerification(claim.ticket, {
      verified,
      review,
      maxRounds: this.o.maxRounds,
    });
    return result.ok ? result : { ok: false, reason: result.reason };
  }

  private reviewOf(claim: ActiveClaim): string | null {
    const file = join(
      this.o.artifactsRoot,
      taskDirName(claim.task.id),
      String(claim.ticket.epoch),
      REVIEW_FILE,
    );
    try {
      const text = readFileSync(file, 'utf8').trim();
      return text === '' ? null : text.slice(0, MAX_REVIEW_CHARS);
    } catch {
      return null; // no review file: the error stands for it
    }
  }
}
