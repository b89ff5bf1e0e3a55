/**
 * npm run bench:cli-spawn — what one spawn of the CLI costs the tests (docs/benchmarks.md, "CI time").
 *
 * The process tests spawn the CLI hundreds of times: through tsx from src/ (CLI_FROM_SOURCE=1)
 * or, by default, from the build vitest's globalSetup makes in .test-build/. This runs the same
 * commands both ways, one after the other, and prints per spawn the median wall time and the
 * mean CPU (user + system, from /proc/self/stat's cutime + cstime: Linux). Commands: `--version`
 * (start-up alone) and `status --json` on a seeded local board (opens the state, renders).
 *
 * Options: --runs N (10 per command and way). Builds .test-build/ first when src/ changed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BUILD_DIR, ROOT, TSX } from '../tests/support/cli.js';
import { ensureBuild } from '../tests/support/cli-build.js';
import { childrenCpuMs } from './proc.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } });
const runs = Number(values.runs);
ensureBuild();

const ways = {
  'from source (tsx)': [process.execPath, '--import', TSX, join(ROOT, 'src/cli/main.ts')],
  'from the build': [process.execPath, join(BUILD_DIR, 'cli/main.js')],
};
const dir = mkdtempSync(join(tmpdir(), 'cli-spawn-bench-'));
const env = { ...process.env, CODEX_MONITOR_STATE_DIR: dir, LOG_LEVEL: 'warn' };
const commands = [['--version'], ['status', '--json']];

function run(argv: string[]): void {
  const result = spawnSync(argv[0]!, argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) throw new Error(`${argv.join(' ')} exited ${result.status}: ${result.stderr}`);
}

try {
  run([...ways['from the build'], 'tasks', 'seed', join(ROOT, 'examples/dag.yaml')]);
  console.log(`node ${process.version}, ${cpus().length} cores, ${runs} runs per line\n`);
  console.log('| command | way | wall, median | CPU, mean |\n| --- | --- | --- | --- |');
  for (const command of commands) {
    for (const [way, argv] of Object.entries(ways)) {
      run([...argv, ...command]); // warm-up: tsx's transform cache, the page cache
      const walls: number[] = [];
      const cpuBefore = childrenCpuMs();
      for (let i = 0; i < runs; i++) {
        const started = performance.now();
        run([...argv, ...command]);
        walls.push(performance.now() - started);
      }
      const cpu = (childrenCpuMs() - cpuBefore) / runs;
      walls.sort((a, b) => a - b);
      const median = walls[Math.floor(runs / 2)]!;
      console.log(`| \`${command.join(' ')}\` | ${way} | ${Math.round(median)} ms | ${Math.round(cpu)} ms |`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
