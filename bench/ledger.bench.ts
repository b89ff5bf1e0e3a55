/**
 * npm run bench:ledger — the claim ledger's two transports side by side, in one run:
 *
 *  1. a task lifecycle (claim, delivery fence, release): requests that reach the server and
 *     wall time p50/p99, with `--latency` ms (default 50) added to every answer — REST against
 *     the GitHub fake; git against a real bare repository over smart HTTP (`git http-backend`)
 *  2. an idle cycle (a refresh that finds nothing new) and a heartbeat: the same figures
 *  3. an owner chain's length after `--beats` heartbeats (default 1,000; no added latency)
 *
 * Options: --tasks N (30), --latency MS (50), --beats N (1000).
 */
import { parseArgs } from 'node:util';
import { CHAIN_BOUND } from '../src/boards/github/ledger/index.js';
import { type LedgerWorld, openWorld } from '../tests/ledger/ledger-worlds.js';

const { values } = parseArgs({
  options: {
    tasks: { type: 'string', default: '30' },
    latency: { type: 'string', default: '50' },
    beats: { type: 'string', default: '1000' },
  },
});
const tasks = Number(values.tasks);
const latency = Number(values.latency);
const beats = Number(values.beats);

const quantile = (xs: number[], q: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};

interface Figure {
  calls: number[];
  http: number[];
  ms: number[];
}

async function measure(world: LedgerWorld, fig: Figure, run: () => Promise<unknown>): Promise<void> {
  const [calls, http] = [world.calls(), world.httpRequests()];
  const start = performance.now();
  await run();
  fig.ms.push(performance.now() - start);
  fig.calls.push(world.calls() - calls);
  fig.http.push(world.httpRequests() - http);
}

async function lifecycles(name: LedgerWorld['name']) {
  const world = await openWorld(name);
  try {
    world.setLatency(latency);
    const { ledger } = world.makeLedger();
    await ledger.heartbeat('bench/a', []);
    await ledger.refresh();
    const figure = (): Figure => ({ calls: [], http: [], ms: [] });
    const figs = { lifecycle: figure(), idle: figure(), beat: figure() };
    for (let issue = 1; issue <= tasks; issue++) {
      await measure(world, figs.lifecycle, async () => {
        const claim = await ledger.claim(issue, 'bench/a', { maxRetries: 3 });
        if (!claim.ok) throw new Error(`claim of #${issue} refused: ${claim.detail}`);
        const fenced = await ledger.fence(claim.ticket, `codex/${issue}-bench`);
        if (!fenced.ok) throw new Error(`fence of #${issue} refused`);
        const released = await ledger.release(fenced.ticket, 'complete');
        if (!released.ok) throw new Error(`release of #${issue} refused`);
      });
      await ledger.refresh(); // what the daemon's next cycle does: sees its own writes
      await measure(world, figs.idle, () => ledger.refresh());
      await measure(world, figs.beat, () => ledger.heartbeat('bench/a', []));
    }
    return figs;
  } finally {
    await world.close();
  }
}

async function chainLength(name: LedgerWorld['name']): Promise<number> {
  const world = await openWorld(name);
  try {
    const { ledger } = world.makeLedger();
    for (let i = 0; i < beats; i++) await ledger.heartbeat('bench/long', [i % 3]);
    return world.ownerChainLength('bench_2Flong');
  } finally {
    await world.close();
  }
}

const mean = (xs: number[]) => (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(1);
const row = (label: string, f: Figure) =>
  `| ${label} | ${mean(f.calls)} | ${mean(f.http)} | ${quantile(f.ms, 0.5).toFixed(0)} | ${quantile(f.ms, 0.99).toFixed(0)} |`;

console.log(`ledger transports: ${tasks} task lifecycles each, ${latency} ms added to every answer\n`);
console.log(
  '| transport / operation | REST requests, or git fetches + pushes | HTTP round trips | p50 ms | p99 ms |',
);
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const name of ['rest', 'git-http'] as const) {
  const figs = await lifecycles(name);
  console.log(row(`${name}: lifecycle (claim, fence, release)`, figs.lifecycle));
  console.log(row(`${name}: idle cycle (refresh, nothing new)`, figs.idle));
  console.log(row(`${name}: heartbeat`, figs.beat));
}
console.log(
  `\nowner chain length after ${beats} heartbeats (bound ${CHAIN_BOUND} where refs move by lease):`,
);
for (const name of ['git-file', 'rest'] as const)
  console.log(`  ${name}: ${await chainLength(name)} commits`);
