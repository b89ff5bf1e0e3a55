/**
 * A child process that hammers one state database with claims, renewals and releases.
 * Besides asking the manager, it keeps an independent record of ownership: holding a task
 * means holding an exclusive lock file, created with O_EXCL. If the manager ever let two
 * live owners hold one task, the second O_EXCL create fails and is reported as a violation.
 *
 * argv: <db> <owner> <lockDir> <ops> <tasks> <mode: hammer|hold>
 * Used by tests/state/concurrency.test.ts and bench/state.bench.ts.
 */
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { currentOwner } from '../../src/state/open-state.js';
import { openRealState } from './state.js';

const [dbPath, ownerId, lockDir, opsArg, tasksArg, mode] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
];
const ops = Number(opsArg);
const tasks = Number(tasksArg);

const store = openRealState(dbPath, {
  staleThresholdMs: 120_000,
  maxRetries: 1_000_000,
  backoff: { baseMs: 0, maxMs: 0 },
  ownerStaleTtlMs: 120_000,
});
const me = currentOwner(ownerId);
const journal = join(lockDir, `journal-${ownerId}.jsonl`);
const record = (entry: object) => appendFileSync(journal, `${JSON.stringify(entry)}\n`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function hammer() {
  let claims = 0;
  let refusals = 0;
  let violations = 0;
  const latencies: number[] = [];
  for (let i = 0; i < ops; i++) {
    const taskId = `task-${Math.floor(Math.random() * tasks)}`;
    const started = performance.now();
    const result = store.claim(taskId, me, { create: true });
    latencies.push(performance.now() - started);
    if (!result.ok) {
      refusals++;
      continue;
    }
    claims++;
    const { ticket } = result;
    const lock = join(lockDir, `${taskId}.lock`);
    const mine = `${me.id}@${ticket.epoch}`; // what names this claim: its owner and epoch
    try {
      writeFileSync(lock, mine, { flag: 'wx' });
    } catch {
      violations++;
      record({ violation: 'lock-held', taskId, epoch: ticket.epoch, holder: readFileSync(lock, 'utf8') });
      continue;
    }
    record({ claim: taskId, epoch: ticket.epoch });
    for (let r = 0; r < 2; r++) {
      await sleep(Math.random() * 2);
      const renewed = store.renew(ticket);
      if (!renewed.ok || readFileSync(lock, 'utf8') !== mine) {
        violations++;
        record({ violation: 'renew', taskId, epoch: ticket.epoch });
      }
    }
    rmSync(lock); // give up the independent lock before the claim: nobody can claim in between
    const released = store.release(ticket, Math.random() < 0.2 ? 'failed' : 'abandoned');
    if (!released.ok) {
      violations++;
      record({ violation: 'release', taskId, reason: released.reason });
    }
  }
  record({ done: true, claims, refusals, violations, latencies });
}

async function hold() {
  for (let i = 0; i < tasks; i++) {
    const result = store.claim(`held-${i}`, me, { create: true });
    if (!result.ok) throw new Error(result.detail);
  }
  process.stdout.write('held\n');
  await sleep(600_000);
}

await (mode === 'hold' ? hold() : hammer());
store.close();
