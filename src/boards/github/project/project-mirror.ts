/**
 * The project card as part of the human mirror: written by the mirror's worker after the labels,
 * behind the same conflict check, on the same paced client. Never the authority: a failure is a
 * warning, and the issue is marked so the reconciler queues it again next cycle. A periodic
 * audit reads the project's cards and marks those in the wrong column the same way (a crash
 * between the labels and the card, a person dragging a card the ledger says otherwise).
 */
import type { Logger } from '../../../core/logger.js';
import type { LedgerView } from '../ledger/index.js';
import { type DaemonLabelState, expectedMirror } from '../mirror/index.js';
import { projectStateOf } from './project-state.js';
import { optionId, type ProjectSync } from './project-sync.js';

/** How often the cards are compared with the ledger (one paged read of the project). */
const AUDIT_EVERY_MS = 10 * 60_000;
/** A read of the cards this recent (the Ready gate's, earlier in the same poll cycle) serves the audit. */
const SHARED_READ_MS = 30_000;

export class ProjectMirror {
  /** Issues whose card is known to be wrong (a failed move, or the audit): the reconciler repairs them. */
  private readonly failed = new Set<number>();
  private lastAudit: number | null = null;

  constructor(
    private readonly sync: Pick<ProjectSync, 'move' | 'label' | 'cards' | 'resolve' | 'settings'>,
    private readonly logger: Logger,
    private readonly monotonic: () => number = () => performance.now(),
  ) {}

  /** Moves the card to what `label` (and a pull request) means; never throws. */
  async show(issue: number, label: DaemonLabelState, pr: number | null | undefined): Promise<void> {
    const state = projectStateOf(label, pr);
    if (state === null) return;
    try {
      const result = await this.sync.move(issue, state);
      this.failed.delete(issue);
      if (result === 'moved')
        this.logger.debug({ issue, state, project: this.sync.label }, 'project card moved');
    } catch (error) {
      this.failed.add(issue);
      this.logger.warn(
        { err: error, issue, state, project: this.sync.label },
        `#${issue}: moving its project card failed; the next reconcile tries again`,
      );
    }
  }

  /** The card of `issue` is known to be in the wrong column (the reconciler queues the issue again). */
  pending(issue: number): boolean {
    return this.failed.has(issue);
  }

  /**
   * Every AUDIT_EVERY_MS (and on the first call): marks the cards whose column disagrees with
   * the ledger tip. Only cards already on the project: enabling GITHUB_PROJECT does not add every
   * finished issue of the repository's history. Never throws. Returns the issues marked.
   */
  async audit(view: LedgerView, maxRetries: number, signal?: AbortSignal): Promise<number[]> {
    const now = this.monotonic();
    if (this.lastAudit !== null && now - this.lastAudit < AUDIT_EVERY_MS) return [];
    this.lastAudit = now;
    try {
      const project = await this.sync.resolve(signal);
      const cards = await this.sync.cards(signal, { maxAgeMs: SHARED_READ_MS });
      const marked: number[] = [];
      for (const [issue, option] of cards) {
        const task = view.tasks.get(issue);
        const expected = task ? expectedMirror(task, maxRetries) : null;
        const state = expected ? projectStateOf(expected.label, expected.comment?.pr) : null;
        const name = state ? this.sync.settings.statusMap[state] : undefined;
        const want = name === undefined ? undefined : optionId(project.options, name);
        if (want === undefined || want === option) continue;
        this.failed.add(issue);
        marked.push(issue);
      }
      if (marked.length)
        this.logger.info(
          { issues: marked, project: this.sync.label },
          'project cards out of step with the ledger; repairing',
        );
      return marked;
    } catch (error) {
      if (!signal?.aborted)
        this.logger.warn({ err: error, project: this.sync.label }, 'auditing the project cards failed');
      return [];
    }
  }
}
