/**
 * A short-lived process that appends events to one state database, each in its own
 * transaction, as a CLI command or a daemon would.
 *
 * argv: <db> <count> <maxEvents>
 * Used by tests/state/event-retention.test.ts.
 */
import { hostname } from 'node:os';
import { systemClock } from '../../src/core/clock.js';
import { SharedState } from '../../src/state/shared-state.js';
import { TEST_POLICY } from './state.js';

const [dbPath, countArg, maxEventsArg] = process.argv.slice(2) as [string, string, string];
const store = SharedState.open(dbPath, {
  clock: systemClock(),
  host: hostname(),
  policy: TEST_POLICY,
  retention: { maxEvents: Number(maxEventsArg), maxAgeMs: 86_400_000 },
});
for (let i = 0; i < Number(countArg); i++) {
  store.transaction(() =>
    store.events.append({ type: 'heartbeat', ownerId: `pid-${process.pid}`, data: { i } }),
  );
}
store.close();
