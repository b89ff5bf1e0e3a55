/**
 * The order a ledger board claims in: lost work first — a silent owner's, or an orphan of our own
 * earlier run (recovery must not wait behind fresh work) — then the rest, spread out by a hash of
 * the owner id so a fleet does not herd on one task. One reading of eligibility per question
 * (claim, pending), from the board's synced tasks and the last ledger view.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '../../core/logger.js';
import type { LedgerView } from '../github/ledger/index.js';
import type { LedgerTask, TaskEligibility } from './task-eligibility.js';

export interface ClaimOrderOptions<T extends LedgerTask> {
  /** Eligibility as the board reads it; `self` is set when claiming (orphans of ours are recovered). */
  assess: (
    agent: string | null,
    self: { ownerId: string; holds: (id: number) => boolean } | undefined,
  ) => TaskEligibility<T>;
  /** The ledger chain number of a task. */
  idOf: (task: T) => number;
  /** How people name a task in the log (`#12`, `OPS-12`). */
  nameOf: (id: number) => string;
  ledger: { lastView(): LedgerView | null | undefined };
  logger: Logger;
  /** Chains this process holds (running attempts, releases not yet recorded). */
  held: () => Set<number>;
}

export class ClaimOrder<T extends LedgerTask> {
  /** Lost work already announced in the log (once per task). */
  private readonly announced = new Set<number>();

  constructor(private readonly o: ClaimOrderOptions<T>) {}

  assess(agent: string | null, ownerId?: string): TaskEligibility<T> {
    const held = this.o.held();
    return this.o.assess(agent, ownerId ? { ownerId, holds: (id) => held.has(id) } : undefined);
  }

  /** Candidates in claim order (see above). `recovery`: the lost work only. */
  candidates(agent: string | null, ownerId: string, purpose: 'any' | 'recovery'): T[] {
    const { candidates, recover } = this.assess(agent, ownerId);
    for (const id of recover) {
      if (this.announced.has(id)) continue;
      this.announced.add(id);
      const chain = this.o.ledger.lastView()?.tasks.get(id);
      this.o.logger.info(
        { issue: id, holder: chain?.holder, detail: chain?.detail },
        `${this.o.nameOf(id)} is lost work: recovering it first`,
      );
    }
    const lost = candidates.filter((c) => recover.has(this.o.idOf(c)));
    const fresh = candidates.filter((c) => !recover.has(this.o.idOf(c)));
    return purpose === 'recovery' ? lost : [...lost, ...spreadOut(fresh, ownerId)];
  }
}

/**
 * Candidates in priority-then-age order, except that the first few of the top priority are
 * rotated by a hash of the owner id: a fleet that all went for the oldest task first would
 * lose nearly every compare-and-swap to each other (each loss is a wasted commit write).
 */
export function spreadOut<T extends { priority: number }>(
  candidates: readonly T[],
  ownerId: string,
  window = 24,
): T[] {
  const top = candidates.filter((c) => c.priority === candidates[0]?.priority).slice(0, window);
  if (top.length < 2) return [...candidates];
  // A real hash: owner ids differ in one character, and neighbours must not pick neighbours.
  const shift = createHash('sha256').update(ownerId).digest().readUInt32BE(0) % top.length;
  return [...top.slice(shift), ...top.slice(0, shift), ...candidates.slice(top.length)];
}
