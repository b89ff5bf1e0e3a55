import type { Logger } from '../../../core/logger.js';
import type { RefLedger } from '../ledger/index.js';
import type { Mirror } from './mirror.js';

/** The attempt behind a poison record written by its own owner. */
export interface PoisonedAttempt {
  claimedAt: number;
  /** Its artifacts folder (only the `<task>/<epoch>` id is published). */
  logs: string;
}

export interface PoisonWriterOptions {
  ledger: RefLedger;
  mirror: Mirror;
  logger: Logger;
  maxRetries: number;
  /** This process wrote a poison record (its notification; observers never see this call). */
  onPoisoned?: (issue: number, ownerId: string, epoch: number, reason: string) => void;
}

/**
 * Poison as the owner that used up the retry budget writes it: the ledger record first, in the
 * background, then `codex:failed` and the comment through the mirror, only while that record
 * is still the tip.
 */
export class PoisonWriter {
  private readonly writes = new Set<Promise<void>>();

  constructor(private readonly o: PoisonWriterOptions) {}

  /**
   * Writes the poison record (in the background) and shows it: codex:failed and the comment.
   * `last`: the attempt that used up the budget, when this process ran it — the comment keeps
   * its start and its artifacts line, as every other version of the comment does.
   */
  poisoned(issue: number, ownerId: string, reason: string, last?: PoisonedAttempt): void {
    const write = this.poison(issue, ownerId, reason, last)
      .catch((error) => this.o.logger.warn({ err: error, issue }, 'could not write the poison record'))
      .finally(() => this.writes.delete(write));
    this.writes.add(write);
  }

  /** Waits for background writes (before the mirror is flushed at shutdown). */
  async settle(): Promise<void> {
    await Promise.all([...this.writes]);
  }

  private async poison(
    issue: number,
    ownerId: string,
    reason: string,
    last?: PoisonedAttempt,
  ): Promise<void> {
    const result = await this.o.ledger.poison(issue, ownerId, reason);
    if (!result.ok || result.sha === null) return;
    this.o.onPoisoned?.(issue, ownerId, result.epoch, reason);
    const tip = {
      issue,
      ownerId,
      attempt: '',
      epoch: result.epoch,
      sha: result.sha,
      retries: this.o.maxRetries,
    };
    this.o.mirror.desire({
      issue,
      label: 'failed',
      comment: {
        owner: ownerId,
        status: 'failed',
        attempt: this.o.maxRetries,
        maxAttempts: this.o.maxRetries,
        since: new Date(last?.claimedAt ?? Date.now()).toISOString(),
        epoch: result.epoch,
        outcome: 'poisoned',
        error: reason,
        ...(last ? { logs: last.logs } : {}),
      },
      holds: () => this.o.ledger.stillHolds(tip),
    });
  }
}
