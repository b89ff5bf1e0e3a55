/**
 * npm run bench:state — the local shared-state manager's throughput and contention latency.
 *
 *  1. claim+release cycles per second in one process (target >= 2,000/s)
 *  2. claim latency p50/p99 with 8 processes contending for 20 tasks (target p99 <= 20 ms)
 *  3. double claims seen by an independent O_EXCL lock-file record (must be 0)
 *
 * Options: --cycles N (default 20000), --procs N (8), --ops N per process (1000), --tasks N (20).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { currentOwner } from '../src/state/open-state.js';
import { openRealState } from '../tests/support/state.js';

const { values } = parseArgs({
  options: {
    cycles: { type: 'string', default: '20000' },
    procs: { type: 'string', default: '8' },
    ops: { type: 'string', default: '1000' },
    tasks: { type: 'string', default: '20' },
  },
});
const cycles = Number(values.cycles);
const procs = Number(values.procs);
const ops = Number(values.ops);
const tasks = Number(values.tasks);
const WORKER = fileURLToPath(new URL('../tests/support/claim-worker.ts', import.meta.url));

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

function singleProcess(dir: string) {
  const store = openRealState(join(dir, 'single.db'), {
    staleThresholdMs: 300_000,
    maxRetries: 3,
    backoff: { baseMs: 0, maxMs: 0 },
    ownerStaleTtlMs: 600_000,
  });
  const me = currentOwner('bench');
  const started = performance.now();
  for (let i = 0; i < cycles; i++) {
    const result = store.claim(`task-${i % 100}`, me, { create: true });
    if (!result.ok) throw new Error(`unexpected refusal: ${result.detail}`);
    store.release(result.ticket, 'abandoned');
  }
  const seconds = (performance.now() - started) / 1000;
  store.close();
  return { cycles, seconds, cyclesPerSecond: cycles / seconds };
}

async function contention(dir: string) {
  const db = join(dir, 'contended.db');
  const started = performance.now();
  const workers = Array.from({ length: procs }, (_, i) =>
    spawn(
      process.execPath,
      ['--import', 'tsx', WORKER, db, `owner-${i}`, dir, String(ops), String(tasks), 'hammer'],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    ),
  );
  const codes = await Promise.all(workers.map(async (w) => (await once(w, 'exit'))[0] as number));
  const wallSeconds = (performance.now() - started) / 1000;
  if (codes.some((c) => c !== 0)) throw new Error(`a worker failed: exit codes ${codes.join(', ')}`);
  const entries = readdirSync(dir)
    .filter((f) => f.startsWith('journal-'))
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').trimEnd().split('\n'))
    .map(
      (l) => JSON.parse(l) as { violation?: string; done?: boolean; claims?: number; latencies?: number[] },
    );
  const summaries = entries.filter((e) => e.done);
  const latencies = summaries.flatMap((s) => s.latencies!).sort((a, b) => a - b);
  return {
    processes: procs,
    tasks,
    claimAttempts: latencies.length,
    claimsWon: summaries.reduce((n, s) => n + s.claims!, 0),
    p50ClaimMs: quantile(latencies, 0.5),
    p99ClaimMs: quantile(latencies, 0.99),
    maxClaimMs: latencies.at(-1),
    doubleClaims: entries.filter((e) => e.violation).length,
    wallSeconds,
  };
}

const dir = mkdtempSync(join(tmpdir(), 'codex-monitor-bench-'));
try {
  console.log(
    `bench:state on ${hostname()} (node ${process.version}), ${procs} processes x ${ops} ops over ${tasks} tasks`,
  );
  const single = singleProcess(dir);
  console.log(
    `single process: ${single.cycles} claim+release cycles in ${single.seconds.toFixed(2)} s = ` +
      `${Math.round(single.cyclesPerSecond)} cycles/s (target >= 2000)`,
  );
  const contended = await contention(dir);
  console.log(
    `${contended.processes} contending processes: ${contended.claimAttempts} claim attempts, ${contended.claimsWon} won; ` +
      `claim latency p50 ${contended.p50ClaimMs.toFixed(2)} ms, p99 ${contended.p99ClaimMs.toFixed(2)} ms ` +
      `(target <= 20), max ${contended.maxClaimMs?.toFixed(2)} ms`,
  );
  console.log(`double claims: ${contended.doubleClaims} (must be 0)`);
  console.log(JSON.stringify({ single, contended }));
  if (contended.doubleClaims > 0) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
