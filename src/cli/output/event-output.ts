/** How events are shown: a table, JSON with ISO times, and the lines `events --follow` prints. */
import type { Clock } from '../../core/clock.js';
import type { EventLog, EventQuery, EventRecord } from '../../state/event-log.js';
import { follow } from './follow.js';
import { isoTime, table } from './format.js';
import { terminalLine } from './terminal-safe.js';

/** An event for JSON output: `at` in ISO 8601 like every other time the CLI prints. */
export function eventJson(event: EventRecord): Omit<EventRecord, 'at'> & { at: string } {
  return { ...event, at: isoTime(event.at) };
}

const detail = (e: EventRecord) => (Object.keys(e.data).length ? JSON.stringify(e.data) : null);

export function eventTable(events: EventRecord[]): string {
  return table(
    ['TIME', 'TYPE', 'TASK', 'OWNER', 'EPOCH', 'DETAIL'],
    events.map((e) => [isoTime(e.at), e.type, e.taskId, e.ownerId, e.epoch, detail(e)]),
  );
}

/** One event on one line (a followed log has no table to align to); terminal-safe. */
export function eventLine(e: EventRecord): string {
  const cells = [
    isoTime(e.at),
    e.type.padEnd(9),
    e.taskId ?? '-',
    e.ownerId ?? '-',
    `epoch ${e.epoch ?? '-'}`,
  ];
  const more = detail(e);
  return terminalLine([...cells, ...(more ? [more] : [])].join('  '));
}

/** Rows fetched per look at the log: a burst larger than this is read over several looks. */
const BATCH = 500;

/**
 * Prints `first` (the newest matching events), then every matching event appended after it,
 * by id cursor, until SIGINT or a closed pipe. JSON: one object per line.
 */
export async function followEvents(
  log: EventLog,
  query: EventQuery,
  first: EventRecord[],
  options: { json: boolean; clock: Clock },
): Promise<void> {
  const show = (e: EventRecord) => `${options.json ? JSON.stringify(eventJson(e)) : eventLine(e)}\n`;
  using session = follow(options.clock);
  if (first.length > 0 && !session.write(first.map(show).join(''))) return;
  // `first` holds the newest matches: every match after its last id is new (none matched: all are).
  let cursor = first.at(-1)?.id ?? 0;
  for (;;) {
    // Read up to the newest id of the whole log, then move the cursor there: the rows in
    // between that do not match are never scanned again.
    const newest = log.query({ newestFirst: true, limit: 1 })[0]?.id ?? cursor;
    const batch = log.query({ ...query, afterId: cursor, untilId: newest, limit: BATCH });
    if (batch.length > 0 && !session.write(batch.map(show).join(''))) return;
    cursor = batch.length === BATCH ? batch.at(-1)!.id : Math.max(cursor, newest);
    if (batch.length < BATCH && !(await session.pause())) return;
  }
}
