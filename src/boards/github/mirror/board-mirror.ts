/**
 * The glue between the board's ledger writes and the human mirror: ledger writes go first (the
 * mirror waits while one is under way), and every mirror target carries its conflict check —
 * never write what a ledger that has moved past the target's commit no longer says.
 */
import { join } from 'node:path';
import type { Clock } from '../../../core/clock.js';
import type { ClaimTicket } from '../../../core/task.js';
import type { LedgerTicket, RefLedger } from '../ledger/index.js';
import type { DaemonLabelState } from './labels.js';
import { Mirror, type MirrorOptions } from './mirror.js';

/** A ledger write this recent is its own proof that we hold the claim. */
const FRESH_WRITE_MS = 1000;

/** What the comment says about the attempt behind a ledger record. */
export interface AttemptFacts {
  taskId: string;
  attempt: number;
  claimedAt: number;
  /** The local epoch: names the attempt's artifacts folder. */
  localEpoch: number;
}

/** The facts of the attempt behind a local claim ticket (its epoch is the ledger's, see claimNext). */
export function factsOf(ticket: ClaimTicket): AttemptFacts {
  return {
    taskId: ticket.taskId,
    attempt: ticket.attempt,
    claimedAt: ticket.claimedAt,
    localEpoch: ticket.epoch,
  };
}

export interface BoardMirrorOptions extends Omit<MirrorOptions, 'ledgerIdle'> {
  ledger: Pick<RefLedger, 'knownTip' | 'stillHolds'>;
  clock: Clock;
  maxRetries: number;
  /** Where issue files are written; artifacts live beside it. */
  workDir: string;
}

export class BoardMirror {
  readonly mirror: Mirror;
  private ledgerWrites = 0;
  private ledgerWaiters: (() => void)[] = [];
  /** Issues this process gave the mirror a target for, and when (monotonic). */
  private readonly touched = new Map<number, number>();

  constructor(private readonly o: BoardMirrorOptions) {
    this.mirror = new Mirror({
      ...o,
      ledgerIdle: () =>
        this.ledgerWrites === 0
          ? Promise.resolve()
          : new Promise((resolve) => this.ledgerWaiters.push(resolve)),
    });
  }

  /** Runs a ledger write, holding the mirror back until no ledger write is waiting. */
  async ledgerWrite<T>(write: () => Promise<T>): Promise<T> {
    this.ledgerWrites++;
    try {
      return await write();
    } finally {
      if (--this.ledgerWrites === 0) for (const wake of this.ledgerWaiters.splice(0)) wake();
    }
  }

  /** This process wrote (or is writing) the issue's ledger record and mirrors it itself. */
  touch(issue: number): void {
    this.touched.set(issue, this.o.clock.monotonic());
  }

  /** Whether this process's own mirror of `issue` may still be under way (the reconciler waits). */
  ownWriteRecent(issue: number, withinMs: number): boolean {
    const at = this.touched.get(issue);
    if (at !== undefined && this.o.clock.monotonic() - at >= withinMs) this.touched.delete(issue);
    return this.mirror.busy(issue) || (at !== undefined && this.o.clock.monotonic() - at < withinMs);
  }

  /**
   * True unless the ledger has provably moved past `ticket`: this process knows a newer tip (a
   * listing or its own later write), or a fresh read shows another commit. `olderSha` is the
   * commit before ours, which a lagging read may still show: that proves no move.
   */
  async holds(ticket: Pick<LedgerTicket, 'issue' | 'sha' | 'epoch'>, wroteAt: number, olderSha?: string) {
    const known = this.o.ledger.knownTip(ticket.issue);
    if (known && known.sha !== ticket.sha && (known.epoch ?? Number.POSITIVE_INFINITY) > ticket.epoch) {
      return false;
    }
    if (this.o.clock.monotonic() - wroteAt < FRESH_WRITE_MS) return true;
    return this.o.ledger.stillHolds(ticket, olderSha);
  }

  /** The attempt's artifacts folder (the comment publishes only its `<task>/<epoch>` id). */
  artifactsOf(facts: AttemptFacts): string {
    return join(
      this.o.workDir,
      '..',
      'artifacts',
      encodeURIComponent(facts.taskId),
      String(facts.localEpoch),
    );
  }

  /** Mirrors a ledger record this process wrote: `ticket` is the record now at the tip. */
  show(
    facts: AttemptFacts,
    ticket: LedgerTicket,
    label: DaemonLabelState,
    result: { outcome?: string; error?: string; pr?: number; hand?: { until: string } },
    options: { delayMs?: number; olderSha?: string } = {},
  ): void {
    const wroteAt = this.o.clock.monotonic();
    this.touch(ticket.issue);
    this.mirror.desire({
      issue: ticket.issue,
      label,
      comment: {
        owner: ticket.ownerId,
        status: label === 'working' || label === 'claimed' ? label : label === 'done' ? 'done' : 'released',
        attempt: facts.attempt,
        maxAttempts: this.o.maxRetries,
        since: new Date(facts.claimedAt).toISOString(),
        heartbeat: new Date(this.o.clock.now()).toISOString(),
        epoch: ticket.epoch,
        outcome: result.outcome ?? null,
        error: result.error ?? null,
        ...(result.pr ? { pr: result.pr } : {}),
        // A person's claim has no attempt folder of ours: it shows the lease instead.
        ...(result.hand ? { hand: result.hand, logs: null } : { logs: this.artifactsOf(facts) }),
      },
      holds: () => this.holds(ticket, wroteAt, options.olderSha),
      ...(options.delayMs ? { delayMs: options.delayMs } : {}),
    });
  }
}
