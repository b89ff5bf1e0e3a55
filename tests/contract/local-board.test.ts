/** The Board contract against the embedded local board: a real SQLite file, one connection per daemon. */
import { join } from 'node:path';
import { LocalBoard } from '../../src/boards/local/local-board.js';
import { seedTasks } from '../../src/boards/local/seed.js';
import { ManualClock } from '../../src/core/clock.js';
import { SharedState } from '../../src/state/shared-state.js';
import { HOST, TEST_POLICY } from '../support/state.js';
import { useTempDirs } from '../support/temp-dir.js';
import { type BoardWorld, boardContract } from './board-contract.js';

const tempDir = useTempDirs();
const MAX_RETRIES = 2;

boardContract({
  name: 'local (SQLite)',
  capabilities: { recoverySlot: false },
  async world(): Promise<BoardWorld> {
    const path = join(tempDir(), 'state.db');
    const clock = new ManualClock();
    const dead = new Set<number>();
    const pids = new Map<string, number>();
    const states: SharedState[] = [];
    const connect = () => {
      const store = SharedState.open(path, {
        clock,
        host: HOST,
        policy: { ...TEST_POLICY, maxRetries: MAX_RETRIES },
        retention: { maxEvents: 10_000, maxAgeMs: 30 * 24 * 3600_000 },
        isAlive: (pid) => !dead.has(pid),
        random: () => 0.5,
      });
      states.push(store);
      return store;
    };
    const seeder = connect();
    let next = 0;
    const pidOf = (ownerId: string) => {
      if (!pids.has(ownerId)) pids.set(ownerId, 4_000_000 + pids.size); // above any real pid_max
      return pids.get(ownerId)!;
    };
    return {
      maxRetries: MAX_RETRIES,
      longerThanAnyWait: TEST_POLICY.ownerStaleTtlMs + TEST_POLICY.staleThresholdMs,
      async open(ownerId) {
        const owner = { id: ownerId, host: HOST, pid: pidOf(ownerId), pidStart: null };
        return new LocalBoard(connect(), { owner, agent: null });
      },
      async seed(count) {
        const tasks = Array.from({ length: count }, () => {
          const id = `task-${++next}`;
          return { id, title: id, agent: null, deps: [], priority: 0, payload: { kind: 'noop' as const } };
        });
        seedTasks(seeder, tasks, { now: clock.now() });
        return tasks.map((t) => ({ id: t.id, ref: t.id }));
      },
      async elapse(ms) {
        clock.advance(ms);
      },
      async silence(ownerId) {
        dead.add(pidOf(ownerId)); // on one host a dead pid is stale at once
      },
      async close() {
        for (const store of states.splice(0)) store.close();
      },
    };
  },
});
