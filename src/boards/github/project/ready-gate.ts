/**
 * PROJECT_READY_STATUS: only issues whose card is in that column are started. The project's cards
 * are read (paged) at most once per poll cycle; a failed read keeps the last one. Work the ledger
 * already knows (a claim, a retry after a failure, a stale owner's issue) is not gated: its card
 * left Ready when it started, and it must still be finished or recovered.
 */
import type { Logger } from '../../../core/logger.js';
import { optionId, type ProjectSync } from './project-sync.js';

export class ReadyGate {
  /** Issues whose card is in the Ready column; null until the first successful read. */
  private ready: Set<number> | null = null;
  private problem: string | null = null;

  constructor(
    private readonly sync: Pick<ProjectSync, 'resolve' | 'cards' | 'label'>,
    private readonly status: string,
    private readonly logger: Logger,
  ) {}

  /** Reads the project's cards (once per poll cycle: the board calls it from refresh). */
  async refresh(signal?: AbortSignal): Promise<void> {
    try {
      const project = await this.sync.resolve(signal);
      const option = optionId(project.options, this.status);
      if (option === undefined) {
        this.ready = new Set();
        this.problem = `the project has no "${this.status}" column (PROJECT_READY_STATUS)`;
        return;
      }
      const cards = await this.sync.cards(signal);
      this.ready = new Set([...cards].filter(([, o]) => o === option).map(([n]) => n));
      this.problem = null;
    } catch (error) {
      if (signal?.aborted) return;
      this.problem ??= 'the project could not be read yet';
      this.logger.warn(
        { err: error, project: this.sync.label },
        'reading the project cards failed; keeping the last read (PROJECT_READY_STATUS)',
      );
    }
  }

  /** Why `issue` may not start now, or null when its card is in the Ready column. */
  reason(issue: number): string | null {
    if (this.ready === null) return this.problem ?? 'the project has not been read yet';
    if (this.ready.has(issue)) return null;
    return this.problem ?? `not in the project's ${this.status} column`;
  }
}
