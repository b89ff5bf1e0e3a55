/**
 * npm run bench:serve-idle — what the dashboard costs the daemon when nobody watches.
 *
 * Two `codex-monitor run` daemons on the local board with nothing to do, side by side (each its
 * own empty state directory, the default settings): one plain, one with `--serve`. After a
 * warm-up, each is sampled from /proc for the same window: RSS (VmRSS) every second, CPU time
 * (utime + stime) at the start and the end. Nobody connects to the server during the window;
 * afterwards one GET /healthz shows it was listening. Several rounds, fresh daemons each.
 *
 * Options: --seconds N (30, the window), --warmup N (5), --rounds N (5). Runs the built CLI
 * (npm run build first, as bench:local does).
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpuMs, rssMb } from './proc.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '5' },
  },
});
const windowS = Number(values.seconds);
const warmupS = Number(values.warmup);
const rounds = Number(values.rounds);
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist/cli/main.js');
execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Daemon {
  name: 'plain' | 'serve';
  pid: number;
  url: string | null;
  stop: () => Promise<unknown>;
}

/** Starts an idle daemon; with --serve, resolves once it printed the URL it listens on. */
async function start(name: Daemon['name'], dir: string): Promise<Daemon> {
  const args = [cli, 'run', '--owner', `bench-${name}`, ...(name === 'serve' ? ['--serve'] : [])];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, CODEX_MONITOR_STATE_DIR: dir, LOG_LEVEL: 'warn', SERVE_PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  let url: string | null = null;
  if (name === 'serve') {
    let out = '';
    for await (const chunk of child.stdout!) {
      out += String(chunk);
      url = /listening on (http:\/\/\S+)/.exec(out)?.[1] ?? null;
      if (url) break;
    }
    if (!url) throw new Error(`the --serve daemon exited before listening:\n${out}`);
  }
  child.stdout!.resume();
  return {
    name,
    pid: child.pid!,
    url,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

interface Sample {
  name: Daemon['name'];
  round: number;
  rssMeanMb: number;
  rssMaxMb: number;
  cpuMs: number;
}

const samples: Sample[] = [];
for (let round = 1; round <= rounds; round++) {
  const dirs = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'codex-monitor-bench-serve-')));
  const daemons: Daemon[] = [];
  try {
    daemons.push(await start('plain', dirs[0]!), await start('serve', dirs[1]!));
    await sleep(warmupS * 1000);
    const cpuAt = daemons.map((d) => cpuMs(d.pid));
    const rss: number[][] = daemons.map(() => []);
    for (let s = 0; s < windowS; s++) {
      await sleep(1000);
      for (const [i, d] of daemons.entries()) rss[i]!.push(rssMb(d.pid));
    }
    daemons.forEach((d, i) => {
      const r = rss[i]!;
      samples.push({
        name: d.name,
        round,
        rssMeanMb: r.reduce((a, b) => a + b, 0) / r.length,
        rssMaxMb: Math.max(...r),
        cpuMs: cpuMs(d.pid) - cpuAt[i]!,
      });
    });
    // Only now (the window is over) does anyone talk to the server: it was up all along.
    const served = daemons.find((d) => d.url);
    const health = await fetch(`${served!.url}/healthz`);
    if (health.status !== 200) throw new Error(`/healthz answered ${health.status} after the window`);
  } finally {
    for (const d of daemons) await d.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);
console.log(
  `bench:serve-idle on ${hostname()} (${cpus().length} cores, node ${process.version}): ${rounds} rounds, ` +
    `${warmupS} s warm-up, ${windowS} s window, idle daemons on an empty local board, default settings`,
);
console.log('| daemon | round | RSS mean | RSS max | CPU in the window | CPU share of one core |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const s of samples) {
  console.log(
    `| ${s.name === 'serve' ? 'run --serve' : 'run'} | ${s.round} | ${fmt(s.rssMeanMb)} MB | ${fmt(s.rssMaxMb)} MB | ` +
      `${s.cpuMs} ms | ${fmt((s.cpuMs / (windowS * 1000)) * 100, 2)} % |`,
  );
}
/** Medians over the rounds: one noisy round (a GC step, a busy neighbour) moves a mean too far. */
const median = (name: Daemon['name'], pick: (s: Sample) => number) => {
  const sorted = samples
    .filter((s) => s.name === name)
    .map(pick)
    .sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const range = (name: Daemon['name'], pick: (s: Sample) => number) => {
  const all = samples.filter((s) => s.name === name).map(pick);
  return `${fmt(Math.min(...all))}–${fmt(Math.max(...all))}`;
};
for (const name of ['plain', 'serve'] as const) {
  console.log(
    `${name === 'serve' ? 'run --serve' : 'run'}: median RSS ${fmt(median(name, (s) => s.rssMeanMb))} MB ` +
      `(rounds ${range(name, (s) => s.rssMeanMb)}), median CPU ${fmt(
        median(name, (s) => s.cpuMs),
        0,
      )} ms ` +
      `per ${windowS} s (rounds ${range(name, (s) => s.cpuMs)})`,
  );
}
console.log(JSON.stringify({ windowS, warmupS, rounds, samples }));
