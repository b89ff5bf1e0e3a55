/**
 * How an attempt ended, read from its event: shared by the metrics (counters) and the dashboard
 * (charts), which both count the event log and must not disagree on what an outcome is.
 */
import { isSelfFenced } from '../core/task.js';
import type { EventRecord } from './event-log.js';

/** Attempt outcomes; `self-fenced` is the abandoned attempt that stopped itself. */
export const ATTEMPT_OUTCOMES = ['completed', 'failed', 'abandoned', 'fenced', 'self-fenced'] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/** The attempt outcome an event records, or null. An abandon caused by self-fencing says so in its error. */
export function attemptOutcome(event: Pick<EventRecord, 'type' | 'data'>): AttemptOutcome | null {
  if (event.type === 'abandoned') {
    return isSelfFenced(event.data.error) ? 'self-fenced' : 'abandoned';
  }
  return event.type === 'completed' || event.type === 'failed' || event.type === 'fenced' ? event.type : null;
}
