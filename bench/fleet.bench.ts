/**
 * npm run bench:fleet -- [--daemons 8] [--slots 3] [--issues 300] [--kill 0.1] [--pause 0.05]
 *   [--kill-daemon-only 1] [--hup 1] [--skewed 1] [--stale-ms 20000] [--seed 1] [--no-pacing] [--deliver]
 *   [--ledger rest|git|both] [--keep] [--doc docs/benchmarks.md | --doc none]
 *
 * Many real daemon processes against the GitHub fake with latency, read lag and lost
 * responses on, under chaos: SIGKILL (a machine lost, rebooted later), SIGKILL of a daemon
 * process alone (its executors left running; restarted at once), SIGHUP, SIGSTOP past the stale
 * threshold then SIGCONT, a wall clock an hour ahead, each daemon on its own token with
 * GitHub's secondary content-creation limit. Prints JSON and appends a markdown table.
 * With --deliver each daemon works in worktrees of its own clone of the fake's bare repository
 * with an agent that edits files: every completed issue must end in exactly one pull request,
 * and fenced attempts must leave no pull request or branch behind.
 * --ledger git speaks the claim ledger over git to the fake's bare repository (lost answers are
 * then lost pushes: applied, their receive-pack killed); --ledger both runs REST, then git.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { DeliveryFigures } from '../tests/support/fleet/delivery-check.js';
import { DEFAULT_FLEET, type FleetParams } from '../tests/support/fleet/fleet-params.js';
import { runFleet } from '../tests/support/fleet/run-fleet.js';

const { values } = parseArgs({
  options: {
    daemons: { type: 'string' },
    slots: { type: 'string' },
    issues: { type: 'string' },
    kill: { type: 'string' },
    pause: { type: 'string' },
    'kill-daemon-only': { type: 'string' },
    hup: { type: 'string' },
    skewed: { type: 'string' },
    'stale-ms': { type: 'string' },
    seed: { type: 'string' },
    'no-pacing': { type: 'boolean', default: false },
    deliver: { type: 'boolean', default: false },
    ledger: { type: 'string', default: 'rest' },
    keep: { type: 'boolean', default: false },
    doc: { type: 'string', default: 'docs/benchmarks.md' },
  },
});
const num = (v: string | undefined, fallback: number) => (v === undefined ? fallback : Number(v));
const params: FleetParams = {
  ...DEFAULT_FLEET,
  daemons: num(values.daemons, DEFAULT_FLEET.daemons),
  slots: num(values.slots, DEFAULT_FLEET.slots),
  issues: num(values.issues, DEFAULT_FLEET.issues),
  killFraction: num(values.kill, DEFAULT_FLEET.killFraction),
  pauseFraction: num(values.pause, DEFAULT_FLEET.pauseFraction),
  killDaemonOnly: num(values['kill-daemon-only'], DEFAULT_FLEET.killDaemonOnly),
  hup: num(values.hup, DEFAULT_FLEET.hup),
  skewed: num(values.skewed, DEFAULT_FLEET.skewed),
  staleThresholdMs: num(values['stale-ms'], DEFAULT_FLEET.staleThresholdMs),
  seed: num(values.seed, DEFAULT_FLEET.seed),
  paceWrites: !values['no-pacing'],
  deliver: values.deliver,
};

/** The delivery figures' rows (none without --deliver). */
function deliveryRows(
  d: DeliveryFigures | null,
  log: { deliveryFenced: number; fencedPullsClosed: number },
): string[][] {
  if (!d) return [];
  const wrong = d.wrongPullCount.map((w) => `#${w.issue}: ${w.pulls.length}`).join(', ');
  return [
    [
      'completed issues with exactly one pull request (open or merged)',
      `${d.withOnePull} / ${d.completed}${wrong ? ` (wrong: ${wrong})` : ''}`,
      'all',
    ],
    [
      'pull requests opened / closed unmerged / fenced at the delivery fence (pushed nothing) / closed by their fenced attempt',
      `${d.pullsOpened} / ${d.closedUnmerged} / ${log.deliveryFenced} / ${log.fencedPullsClosed}`,
      '',
    ],
    [
      'pull requests / branches left by fenced attempts',
      `${d.pullsLeftByFenced.length} / ${d.branchesLeftByFenced.length}`,
      '0 / 0',
    ],
    ['pull-request calls per completed issue', d.pullCallsPerCompletedIssue.toFixed(1), ''],
  ];
}

const deliveryWrong = (d: DeliveryFigures | null) =>
  d !== null &&
  (d.wrongPullCount.length > 0 || d.pullsLeftByFenced.length > 0 || d.branchesLeftByFenced.length > 0);

if (!['rest', 'git', 'both'].includes(values.ledger!)) throw new Error('--ledger takes rest, git or both');
const root = fileURLToPath(new URL('..', import.meta.url));
execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
const transports = values.ledger === 'both' ? (['rest', 'git'] as const) : [values.ledger as 'rest' | 'git'];
for (const ledger of transports) await runOne({ ...params, ledger });

async function runOne(params: FleetParams): Promise<void> {
  const workDir = mkdtempSync(join(tmpdir(), 'codex-monitor-fleet-'));
  try {
    const report = await runFleet(params, {
      workDir,
      cli: [process.execPath, join(root, 'dist/cli/main.js')],
      log: (line) => process.stderr.write(`${line}\n`),
    });
    const unexplained = report.overlaps.filter((o) => o.cause === 'unexplained').length;
    const r = report.recovery;
    const d = report.daemonDeaths;
    const ms = (v: number | null) => (v === null ? 'n/a' : `${(v / 1000).toFixed(1)} s`);
    const rows = [
      ['claim ledger transport', params.ledger, ''],
      ['issues completed', `${report.completed} / ${params.issues}`, ''],
      ['issues lost', String(report.lost), '0'],
      ['duplicate accepted completions', String(report.duplicateAcceptedCompletions), '0'],
      [
        'overlapping executions',
        `${report.overlaps.length} (${report.overlaps.length - unexplained} from paused owners, ${unexplained} unexplained)`,
        'only from paused owners',
      ],
      [
        'recovery from a kill to the takeover, p50 / p99',
        `${ms(r.p50Ms)} / ${ms(r.p99Ms)} (${r.count} attempts)`,
        `p99 ≤ ${ms(r.targetMs)}`,
      ],
      [
        'requests per completed issue: total / writes / content-creating',
        `${report.requests.perCompletedIssue.toFixed(1)} / ${report.requests.writesPerCompletedIssue.toFixed(1)} / ${report.requests.contentCreatingPerCompletedIssue.toFixed(1)}`,
        '',
      ],
      [
        'ledger pushes whose answer was lost (applied, git killed)',
        params.ledger === 'git' ? String(report.faults.lostPushes) : 'n/a (REST: lost responses above)',
        '',
      ],
      ['share of requests answered 304', `${(report.requests.share304 * 100).toFixed(0)} %`, ''],
      [
        'rate-limit hits: primary / secondary',
        `${report.limitHits.primary} / ${report.limitHits.secondary}`,
        '',
      ],
      [
        'executions beyond one per issue / attempts fenced themselves (self-fencing) / results discarded',
        `${report.reexecutions} / ${report.daemonLog.selfFenced} / ${report.daemonLog.fencedResults + report.daemonLog.claimsLost}`,
        '',
      ],
      [
        'daemon killed alone / SIGHUP: executors left, seen gone (slowest) / exit codes on SIGHUP / overlapping executions of their issues',
        `${d.orphans}, ${d.orphans - d.orphansAliveAfterThreshold} (${d.orphanLifetimeMaxMs ?? 'n/a'} ms) / ${d.hupExitCodes.join(', ') || 'n/a'} / ${d.overlapsInvolvingVictims}`,
        'all gone / 0 / 0',
      ],
      [
        'issues whose labels or state comment disagree with the ledger tip',
        `${report.mirror.disagreeing} (judged after ${ms(report.mirror.settledAfterMs)} of settling)`,
        '0',
      ],
      ['issues with more than one state comment', String(report.mirror.multipleStateComments), '0'],
      ...deliveryRows(report.delivery, report.daemonLog),
      ['wall time', `${report.wallSeconds.toFixed(0)} s`, ''],
    ];
    const table = [
      `### Fleet run ${new Date().toISOString().slice(0, 16)}Z — ${params.daemons} daemons × ${params.slots} slots, ${params.issues} issues`,
      '',
      `Command: \`npm run bench:fleet -- --daemons ${params.daemons} --slots ${params.slots} --issues ${params.issues} --kill ${params.killFraction} --pause ${params.pauseFraction} --kill-daemon-only ${params.killDaemonOnly} --hup ${params.hup} --skewed ${params.skewed} --stale-ms ${params.staleThresholdMs} --seed ${params.seed}${params.paceWrites ? '' : ' --no-pacing'}${params.deliver ? ' --deliver' : ''} --ledger ${params.ledger}\``,
      `on ${hostname()} (${cpus().length} cores, node ${process.version}). Faults: latency ${params.latencyMs}–${params.latencyMs + params.latencyJitterMs} ms, read lag ${params.readLagMs} ms, ` +
        `${params.lostResponseRate * 100} % lost write responses; secondary limit ${params.secondaryPerMinute}/min, ${params.secondaryPerHour}/h per daemon token; ` +
        `writes ${params.paceWrites ? 'paced ≥ 1 s apart per daemon (as in production)' : 'unpaced'}; stale threshold ${params.staleThresholdMs} ms, heartbeat ${params.heartbeatMs} ms, poll ${params.pollMs} ms, tasks ${params.taskMs[0]}–${params.taskMs[1]} ms. ` +
        `Chaos: ${report.chaos.map((c) => `${c.kind} ${c.owner}`).join(', ') || 'none'}.`,
      '',
      '| figure | measured | target |',
      '| --- | --- | --- |',
      ...rows.map((row) => `| ${row.join(' | ')} |`),
      '',
    ].join('\n');
    console.log(JSON.stringify(report, null, 2));
    console.log(`\n${table}`);
    if (values.doc !== 'none') appendFileSync(join(root, values.doc!), `\n${table}`);
    const daemonDeathsFailed =
      d.orphansAliveAfterThreshold > 0 ||
      d.hupExitCodes.some((c) => c !== 0) ||
      d.overlapsInvolvingVictims > 0;
    const mirrorWrong = report.mirror.disagreeing + report.mirror.multipleStateComments;
    if (
      report.duplicateAcceptedCompletions > 0 ||
      report.lost > 0 ||
      unexplained > 0 ||
      daemonDeathsFailed ||
      mirrorWrong > 0 ||
      deliveryWrong(report.delivery)
    )
      process.exitCode = 1;
  } finally {
    if (values.keep) console.error(`kept the markers and daemon logs in ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  }
}
