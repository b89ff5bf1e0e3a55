/**
 * npm run bench:local — the daemon on the embedded local board.
 *
 *  1. tasks per second for a 1,000-task DAG drained by 4 daemon processes x 4 slots with a
 *     zero-duration noop (target >= 200/s)
 *  2. scheduler overhead per task: daemon CPU time (user+sys) / tasks
 *  3. idle daemon RSS (target <= 100 MB), read from /proc after it has idled a while
 *
 * Options: --tasks N (1000), --daemons N (4), --slots N (4). Runs the built CLI (npm run build).
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { cpuMs, rssMb } from './proc.js';

const { values } = parseArgs({
  options: {
    tasks: { type: 'string', default: '1000' },
    daemons: { type: 'string', default: '4' },
    slots: { type: 'string', default: '4' },
  },
});
const taskCount = Number(values.tasks);
const daemonCount = Number(values.daemons);
const slots = Number(values.slots);
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist/cli/main.js');
execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });

const dir = mkdtempSync(join(tmpdir(), 'codex-monitor-bench-local-'));
const env = {
  ...process.env,
  CODEX_MONITOR_STATE_DIR: dir,
  LOG_LEVEL: 'warn',
  LOCAL_POLL_INTERVAL_MS: '100',
  SHARED_STATE_HEARTBEAT_INTERVAL_MS: '5000',
  SHARED_STATE_STALE_THRESHOLD_MS: '60000',
};

try {
  // A layered DAG: each task after the first 50 depends on one of the 50 before it.
  const tasks = Array.from({ length: taskCount }, (_, i) => ({
    id: `t${i}`,
    deps: i < 50 ? [] : [`t${i - 1 - (i % 50)}`],
    payload: { kind: 'noop' },
  }));
  writeFileSync(join(dir, 'dag.yaml'), stringify(tasks));
  execFileSync(process.execPath, [cli, 'tasks', 'seed', join(dir, 'dag.yaml')], { env, stdio: 'ignore' });

  const started = performance.now();
  const daemons = Array.from({ length: daemonCount }, (_, i) =>
    spawn(
      process.execPath,
      [cli, 'run', '--until-idle', '--owner', `bench-${i}`, '--parallel', String(slots)],
      {
        env,
        stdio: 'ignore',
      },
    ),
  );
  // Sample CPU just before each exits: a finished process has no /proc entry left to read.
  const cpu = new Map<number, number>();
  const sampler = setInterval(() => {
    for (const d of daemons) if (d.exitCode === null && d.pid) cpu.set(d.pid, cpuMs(d.pid) / 1000);
  }, 50);
  const codes = await Promise.all(daemons.map(async (d) => (await once(d, 'exit'))[0] as number));
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  if (codes.some((c) => c !== 0)) throw new Error(`a daemon failed: ${codes.join(', ')}`);
  const cpuTotal = [...cpu.values()].reduce((a, b) => a + b, 0);
  const done = Number(
    execFileSync(process.execPath, [cli, 'state', 'ls', '--state', 'done', '--json'], { env })
      .toString()
      .match(/"id"/g)?.length ?? 0,
  );

  // An idle daemon: nothing left to run, kept alive, measured after it settles.
  const idle = spawn(process.execPath, [cli, 'run', '--owner', 'idle'], { env, stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 5000));
  const idleRss = rssMb(idle.pid!);
  idle.kill('SIGTERM');
  await once(idle, 'exit');

  console.log(
    `bench:local on ${hostname()} (node ${process.version}): ${taskCount} noop tasks, ${daemonCount} daemons x ${slots} slots`,
  );
  console.log(
    `drained ${done}/${taskCount} tasks in ${seconds.toFixed(2)} s = ${(done / seconds).toFixed(0)} tasks/s (target >= 200)`,
  );
  console.log(
    `scheduler overhead: ${((cpuTotal / done) * 1000).toFixed(2)} ms CPU per task across the daemons`,
  );
  console.log(`idle daemon RSS: ${idleRss.toFixed(1)} MB (target <= 100)`);
  console.log(
    JSON.stringify({
      tasks: taskCount,
      daemons: daemonCount,
      slots,
      done,
      seconds,
      tasksPerSecond: done / seconds,
      cpuMsPerTask: (cpuTotal / done) * 1000,
      idleRssMb: idleRss,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
