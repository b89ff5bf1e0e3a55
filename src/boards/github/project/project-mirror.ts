/**
 * The project card as part of the human mirror: written by the mirror's worker after the labels,
 * behind the same conflict check, on the same paced client. Never the authority: a failure is a
 * warning, and the issue is marked so the reconciler queues it again next cycle.
 */
import type { Logger } from '../../../core/logger.js';
import type { DaemonLabelState } from '../mirror/index.js';
import { projectStateOf } from './project-state.js';
import type { ProjectSync } from './project-sync.js';

export class ProjectMirror {
  /** Issues whose last card move failed: the reconciler repairs them. */
  private readonly failed = new Set<number>();

  constructor(
    private readonly sync: Pick<ProjectSync, 'move' | 'label'>,
    private readonly logger: Logger,
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

  /** The last move of `issue`'s card failed (the reconciler queues the issue again). */
  pending(issue: number): boolean {
    return this.failed.has(issue);
  }
}
