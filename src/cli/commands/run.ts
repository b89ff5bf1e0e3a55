import { join } from 'node:path';
import type { Command } from 'commander';
import { systemClock } from '../../core/clock.js';
import { createLogger } from '../../core/logger.js';
import { Daemon } from '../../daemon/daemon.js';
import { createExecutors } from '../../executors/index.js';
import { currentOwner, openSharedState } from '../../state/open-state.js';
import { buildStatus } from '../../state/status-report.js';
import { type GlobalOptions, readConfig } from '../context.js';
import { subcommand, withExamples } from '../examples.js';
import { noJson } from '../json-mode.js';
import { openBoard, openGitHubAuthFor } from '../open/open-board.js';
import { openReview } from '../open/open-review.js';
import { openWorkspaces } from '../open/open-workspaces.js';
import { coloursFor } from '../output/colour.js';
import { createLiveRegion } from '../output/live-region.js';
import { attachReporter } from '../output/reporter.js';
import { startRunFooter } from '../output/run-footer.js';
import { renderStatusText } from '../output/status-render.js';
import { parsePositiveInt } from '../parse.js';
import { NOTIFY_FLUSH_MS, notifyDaemonError, openNotifier } from '../run/open-notifier.js';
import { exitFor, watchOutcome } from '../run/run-outcome.js';
import { exitOnHangUp, handleSignals } from '../run/signals.js';
import { seedFromFile } from './tasks.js';

interface RunOptions {
  agent?: string;
  owner?: string;
  parallel?: number;
  once?: boolean;
  untilIdle?: boolean;
  seed?: string;
  serve?: boolean;
}

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('run the daemon: claim eligible tasks, run them, heartbeat, release with an outcome')
    .option('--agent <name>', 'only claim tasks for this capability (CODEX_MONITOR_AGENT)')
    .option('--owner <id>', 'owner id of this daemon (CODEX_MONITOR_OWNER_ID)')
    .option('--parallel <n>', 'tasks run at once (MAX_PARALLEL)', parsePositiveInt)
    .option('--once', 'run one cycle, wait for the tasks it started, and exit')
    .option(
      '--until-idle',
      'exit once nothing is runnable, running or waiting, and print the status: 0 if all is well, 1 if work was poisoned or lost',
    )
    .option('--seed <dag.yaml>', 'seed the local board from a DAG file first')
    .option(
      '--serve',
      'also serve the dashboard and JSON API (as `codex-monitor serve`: SERVE_HOST, SERVE_PORT) while the daemon runs',
    )
    .addHelpText(
      'after',
      '\nSIGINT/SIGTERM/SIGHUP: stop claiming, stop running tasks within SHUTDOWN_GRACE_MS, release them as abandoned, exit 0.\nA second signal kills the tasks at once. If the daemon dies anyway, its tasks die with it.',
    )
    .action(async (opts: RunOptions, cmd: Command) => {
      process.exitCode = await run(opts, cmd.optsWithGlobals<GlobalOptions>());
    });
  // Examples, and why `run --json` is refused (issue 13: every --help has an example).
  noJson(
    withExamples(subcommand(program, 'run'), [
      [
        'codex-monitor run --seed examples/dag.yaml --until-idle',
        'the local board: seed, work until idle, report',
      ],
      ['codex-monitor run --parallel 2 --agent codex', 'two tasks at once, only codex tasks'],
    ]),
    'it runs until stopped and logs JSON lines to stderr (when stderr is no terminal); for a snapshot use `codex-monitor status --json`',
  );
}

async function run(opts: RunOptions, globals: GlobalOptions): Promise<number> {
  const config = readConfig(globals, {
    ...(opts.agent ? { CODEX_MONITOR_AGENT: opts.agent } : {}),
    ...(opts.owner ? { CODEX_MONITOR_OWNER_ID: opts.owner } : {}),
    ...(opts.parallel ? { MAX_PARALLEL: String(opts.parallel) } : {}),
  });
  const tty = process.stdout.isTTY === true;
  // On a terminal: a live footer under the transition lines; logs to the same terminal print
  // above it too, or they would tear it. Piped output never sees it.
  const live = tty ? createLiveRegion(process.stdout) : null;
  const logsAbove = live && process.stderr.isTTY ? { write: (text: string) => live.print(text) } : {};
  // On a terminal the transition lines tell the story; logs keep to warnings unless asked.
  const logger = createLogger(tty && !config.logLevelSet ? 'warn' : config.logLevel, logsAbove);
  const clock = systemClock(config.clockOffsetMs);
  const store = openSharedState(config, {
    clock,
    onRecovered: (backup) =>
      logger.warn({ backup }, 'the state database was corrupt: moved it aside, started fresh'),
  });
  let signals: ReturnType<typeof handleSignals> | undefined;
  // Aborted by a forced exit: the ledger's git runs in process groups of its own, which an exit
  // would leave running (a push to a remote that hangs, forever).
  const forced = new AbortController();
  const notifier = openNotifier(config, { clock, logger });
  try {
    if (opts.seed) seedFromFile(store, opts.seed, (line) => process.stdout.write(`${line}\n`));
    const executors = createExecutors({
      shell: {
        allowlist: config.executor.allowlist,
        defaultTimeoutMs: config.executor.timeoutMs,
        killGraceMs: config.executor.killGraceMs,
        workspacesRoot: join(config.stateDir, 'workspaces'),
        passthroughEnv: config.executor.envPassthrough,
      },
    });
    const github = config.github.repository !== undefined;
    // A remote board (GitHub, Jira) is polled at POLL_INTERVAL_MS, the local one far more often.
    const remoteBoard = github || config.jira !== undefined;
    const owner = currentOwner(config.ownerId);
    // One authentication for the board and git: a GitHub App's token is cached and refreshed once.
    const auth = await openGitHubAuthFor(config, clock);
    // One metrics registry per process, made before the board so its client and ledger feed it
    // (loaded only with --serve, as the server below).
    const dashboard = opts.serve ? await import('../serve/dashboard-feed.js') : null;
    const feed = dashboard ? await dashboard.openDashboardFeed(config, store, { clock, logger }) : null;
    // REVIEW_EXECUTOR (or --agent review): this daemon also reviews the fleet's pull requests.
    const review = openReview(config, { executors, logger, ...(auth?.app ? { app: auth.app } : {}) });
    // Aborted by the daemon's first stop: a stop in an outage sits out no retry waits.
    const stopping = new AbortController();
    const board = await openBoard(config, store, {
      clock,
      logger,
      owner,
      announce: true,
      signal: forced.signal,
      stopping: stopping.signal,
      ...(auth ? { auth } : {}),
      ...(notifier ? { notify: notifier } : {}),
      ...(review ? { review } : {}),
      ...(dashboard && feed ? { observe: dashboard.boardObservers(feed.metrics) } : {}),
    });
    const workspaces = await openWorkspaces(config, {
      clock,
      logger,
      owner,
      ...(auth?.app ? { app: auth.app } : {}),
    });
    if (opts.seed && github)
      logger.warn('--seed fills the local board; GITHUB_REPOSITORY is set, so the GitHub board runs');
    const daemon = new Daemon({
      board,
      executorFor: (claim) => executors.executorFor(claim.task.payload),
      owner,
      agent: config.agent ?? null,
      maxParallel: config.maxParallel,
      pollIntervalMs: remoteBoard ? config.pollIntervalMs : config.localPollIntervalMs,
      heartbeatIntervalMs: config.sharedState.heartbeatIntervalMs,
      renewDeadlineMs: config.sharedState.renewDeadlineMs,
      shutdownGraceMs: config.shutdownGraceMs,
      artifactsRoot: join(config.stateDir, 'artifacts'),
      ...(workspaces ? { workspaces } : {}),
      noChanges: config.workspace.noChanges,
      clock,
      logger,
      once: opts.once === true,
      untilIdle: opts.untilIdle === true,
    });
    daemon.events.on('stopping', () => stopping.abort());
    if (live) attachReporter(daemon, (line) => live.print(line), Date.now, coloursFor(process.stdout));
    const footer = live ? startRunFooter(daemon, live, () => clock.now()) : null;
    const watched = watchOutcome(daemon);
    // Started before the first cycle so a supervisor can watch it start; closed on the way out.
    // Loaded only with --serve: the server and metrics modules (hono, prom-client) cost every
    // other process about 7 MB of RSS (docs/benchmarks.md, "The dashboard's idle cost").
    const server = feed
      ? await (await import('../serve/daemon-server.js')).startDaemonServer({
          config,
          store,
          board,
          daemon,
          clock,
          logger,
          feed,
        })
      : null;
    signals = handleSignals(daemon, config.shutdownGraceMs, forced);
    try {
      const exit = await daemon.run();
      footer?.stop();
      if (exit === 'stopped') return 0; // stopped by a signal: a graceful stop is a success
      process.stdout.write(
        `\n${renderStatusText(buildStatus(store, clock.now()), coloursFor(process.stdout))}`,
      );
      // Poisoned or lost work makes the run fail (exit 1), so scripts and CI can tell.
      const { code, message } = exitFor(watched.outcome(store, config.agent ?? null));
      if (message) process.stderr.write(`${message}\n`);
      return code;
    } finally {
      footer?.stop();
      signals.remove();
      await server?.close();
    }
  } catch (error) {
    // Opening the board or the daemon's own stop: either way nobody works here any more.
    notifyDaemonError(notifier, config.ownerId, config.github.repository, error);
    throw error;
  } finally {
    await notifier?.close(NOTIFY_FLUSH_MS);
    live?.close();
    store.close();
    if (signals?.hungUp()) exitOnHangUp();
  }
}
