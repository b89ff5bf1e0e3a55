/**
 * The dashboard's charts and log sources, from this workstation's store, its artifacts and
 * (on GitHub) the metrics registry the client's observers feed.
 */
import { join } from 'node:path';
import type { Config } from '../../config/config.js';
import type { Clock } from '../../core/clock.js';
import { errorMessage } from '../../core/errors.js';
import { githubBudget, type Metrics } from '../../observe/metrics/index.js';
import type { ChartsSource } from '../../serve/charts-routes.js';
import type { LogSource } from '../../serve/log-routes.js';
import type { SharedState } from '../../state/shared-state.js';
import { attemptsHere, chooseAttempt } from '../logs/attempt-logs.js';
import { readTail } from '../logs/log-tail.js';

/** `metrics`: the registry of a GitHub board's client (null on the local board: no GitHub charts). */
export function chartsSource(store: SharedState, clock: Clock, metrics: Metrics | null): ChartsSource {
  return {
    events: store.events,
    now: () => clock.now(),
    ...(metrics ? { github: () => githubBudget(metrics.registry) } : {}),
  };
}

/** The latest attempt's log, as `codex-monitor logs <task>` finds it (artifacts/<task>/<epoch>/). */
export function logSource(config: Pick<Config, 'stateDir' | 'ownerId'>, store: SharedState): LogSource {
  const root = join(config.stateDir, 'artifacts');
  return {
    here: (taskId) => attemptsHere(root, taskId, store.get(taskId)).at(-1)?.outcome === 'running',
    tail: (taskId, stream) => {
      const here = attemptsHere(root, taskId, store.get(taskId));
      let chosen: ReturnType<typeof chooseAttempt>;
      try {
        chosen = chooseAttempt(taskId, here, {}, null, config.ownerId);
      } catch (error) {
        return { absent: errorMessage(error) };
      }
      const text = readTail(stream === 'stderr' ? chosen.stderr : chosen.stdout);
      return {
        taskId,
        epoch: chosen.epoch,
        attempt: chosen.attempt,
        outcome: chosen.outcome,
        stream,
        lines: text?.lines ?? [],
        truncated: text?.truncated ?? false,
        empty: text === null,
      };
    },
  };
}
