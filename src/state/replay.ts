import type { TaskState } from '../core/task.js';
import type { EventRecord } from './event-log.js';

export interface ReplayedState {
  state: TaskState;
  ownerId: string | null;
  epoch: number;
  retryCount: number;
  ignored: boolean;
}

export interface ReplayStep {
  event: EventRecord;
  after: ReplayedState;
}

/**
 * Re-derives a task's history from its events alone: the state after each event. The end
 * of the replay must agree with the task's row, which makes the log checkable, not just
 * readable (events lost to retention start the fold from a blank state).
 */
export function replayTask(events: readonly EventRecord[]): ReplayStep[] {
  let s: ReplayedState = { state: 'ready', ownerId: null, epoch: 0, retryCount: 0, ignored: false };
  const steps: ReplayStep[] = [];
  for (const event of events) {
    const retryCount = typeof event.data.retryCount === 'number' ? event.data.retryCount : s.retryCount;
    switch (event.type) {
      case 'claimed':
        s = { ...s, state: 'claimed', ownerId: event.ownerId, epoch: event.epoch ?? s.epoch + 1 };
        break;
      case 'granted':
        s = { ...s, epoch: event.epoch ?? s.epoch, retryCount };
        break;
      case 'completed':
        s = { ...s, state: 'done' };
        break;
      case 'failed':
      case 'swept':
        s = { ...s, state: 'failed', retryCount };
        break;
      case 'abandoned':
        s = { ...s, state: 'ready' };
        break;
      case 'poisoned':
        s = { ...s, state: 'poisoned', retryCount };
        break;
      case 'reset':
        s = { ...s, state: 'ready', retryCount: 0 };
        break;
      case 'ignored':
        s = { ...s, ignored: true };
        break;
      case 'unignored':
        s = { ...s, ignored: false };
        break;
      default:
        break; // renewals, conflicts and the like change no state
    }
    steps.push({ event, after: s });
  }
  return steps;
}
