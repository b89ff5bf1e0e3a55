/**
 * Counters read from the event log: on each scrape, the events after the last id seen are
 * counted (an id cursor), so a scrape costs nothing when nothing happened and a fresh process
 * (after a restart) first counts everything the log still holds. The counts are therefore the
 * workstation's (every daemon sharing the state directory appends to one log), bounded by the
 * log's retention: a pruned event is never counted by a process started after the prune.
 */
import type { Counter } from 'prom-client';
import { ATTEMPT_OUTCOMES, type AttemptOutcome, attemptOutcome } from '../../state/attempt-outcome.js';
import type { EventLog, EventRecord, EventType } from '../../state/event-log.js';

/** Outcomes of `codex_monitor_attempts_total`: the event log's attempt outcomes (state/attempt-outcome.ts). */
export { ATTEMPT_OUTCOMES, type AttemptOutcome, attemptOutcome };

const COUNTED: readonly EventType[] = [
  'completed',
  'failed',
  'abandoned',
  'fenced',
  'claimed',
  'conflict',
  'claim-lost',
];
/** Events read per query: a first scrape of a full log reads it in bounded slices. */
const PAGE = 5000;

export interface EventCounterTargets {
  attempts: Counter<'outcome'>;
  claims: Counter<'result'>;
}

/** Reads the log from a cursor into the counters; `catchUp` is called by the counters' collect. */
export class EventCounters {
  private cursor = 0;

  constructor(
    private readonly events: Pick<EventLog, 'query'>,
    private readonly targets: EventCounterTargets,
  ) {}

  catchUp(): void {
    for (;;) {
      const batch = this.events.query({ afterId: this.cursor, types: COUNTED, limit: PAGE });
      for (const event of batch) this.count(event);
      if (batch.length > 0) this.cursor = batch[batch.length - 1]?.id ?? this.cursor;
      if (batch.length < PAGE) return;
    }
  }

  private count(event: EventRecord): void {
    const outcome = attemptOutcome(event);
    if (outcome) this.targets.attempts.inc({ outcome });
    else if (event.type === 'claimed') this.targets.claims.inc({ result: 'won' });
    else if (event.type === 'conflict') this.targets.claims.inc({ result: 'conflict' });
    else if (event.type === 'claim-lost') this.targets.claims.inc({ result: 'claim-lost' });
  }
}
