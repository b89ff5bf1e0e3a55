import type { Daemon } from '../../daemon/daemon.js';
import type { SharedState } from '../../state/shared-state.js';

/** What a run left undone, for its exit code: 0 all well, 1 poisoned or fenced-and-lost work. */
export interface RunOutcome {
  /** Tasks (this daemon could run) that are poisoned when the run ends. */
  poisoned: string[];
  /** Tasks whose result this run produced and lost because the claim was fenced. */
  fenced: string[];
}

/**
 * Watches a daemon's results, so that a run that ends with poisoned work, or whose results
 * were discarded because another owner took the task over, can say so in its exit code:
 * scripts and CI must be able to tell a clean run from one that left work undone.
 */
export function watchOutcome(daemon: Daemon): {
  outcome: (store: SharedState, agent: string | null) => RunOutcome;
} {
  const fenced = new Set<string>();
  daemon.events.on('fenced', (claim) => fenced.add(claim.task.id));
  // A task fenced and then finished by this daemon after all is not lost.
  daemon.events.on('completed', (claim) => fenced.delete(claim.task.id));
  return {
    outcome: (store, agent) => ({
      poisoned: store
        .list({ state: 'poisoned' })
        .filter((t) => agent === null || t.agent === null || t.agent === agent)
        .map((t) => t.id),
      fenced: [...fenced],
    }),
  };
}

/** The exit code of a run that ended by itself, and the line that explains a 1. */
export function exitFor(outcome: RunOutcome): { code: 0 | 1; message: string | null } {
  const parts: string[] = [];
  if (outcome.poisoned.length > 0) {
    parts.push(
      `${outcome.poisoned.length} poisoned task${outcome.poisoned.length === 1 ? '' : 's'} (${outcome.poisoned.join(', ')}; ` +
        '`codex-monitor retry <task>` re-enables one)',
    );
  }
  if (outcome.fenced.length > 0) {
    parts.push(
      `${outcome.fenced.length} result${outcome.fenced.length === 1 ? '' : 's'} discarded because the claim was lost (${outcome.fenced.join(', ')})`,
    );
  }
  if (parts.length === 0) return { code: 0, message: null };
  return { code: 1, message: `codex-monitor: the run ended with ${parts.join(' and ')}; exit code 1` };
}
