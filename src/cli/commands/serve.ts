import type { Command } from 'commander';
import type { Config } from '../../config/config.js';
import { systemClock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { Steering } from '../../serve/server.js';
import type { SharedState } from '../../state/shared-state.js';
import { type GlobalOptions, openContext } from '../context.js';
import { withExamples } from '../examples.js';
import { noJson } from '../json-mode.js';
import { openBoard } from '../open/open-board.js';
import type { SourcesOptions } from '../serve/serve-sources.js';

export function registerServeCommand(program: Command): void {
  const serve = program
    .command('serve')
    .description(
      'the dashboard and JSON API over HTTP (SERVE_HOST:SERVE_PORT, default 127.0.0.1:7878): fleet and task pages updating live, /api/status, /api/tasks/<id>, /healthz',
    )
    .action(async (_opts: unknown, cmd: Command) => {
      process.exitCode = await serveUntilSignal(cmd.optsWithGlobals<GlobalOptions>());
    });
  noJson(
    withExamples(serve, [
      ['codex-monitor serve', 'then open http://127.0.0.1:7878'],
      ['SERVE_PORT=0 codex-monitor serve', 'any free port (printed)'],
      ['SERVE_HOST=0.0.0.0 SERVE_TOKEN=… codex-monitor serve', 'beyond this machine: a token is required'],
    ]),
    'it serves JSON itself: GET /api/status',
  );
}

/** Steering through a board opened for the act and closed after it (as `codex-monitor ignore`). */
export function steerByOpening(config: Config, store: SharedState, logger: Logger): SourcesOptions['steer'] {
  return async <T>(act: (steering: Steering) => Promise<T>) => {
    const board = await openBoard(config, store, { clock: systemClock(config.clockOffsetMs), logger });
    try {
      return await act(board.steering);
    } finally {
      await board.close();
    }
  };
}

async function serveUntilSignal(globals: GlobalOptions): Promise<number> {
  using ctx = openContext(globals, { readOnly: true, freshOnLedgerBoard: true });
  const { config, store, logger } = ctx;
  const clock = systemClock(config.clockOffsetMs);
  // Loaded here, not at the top: every other command would pay for hono and prom-client.
  const { startDashboard } = await import('../serve/dashboard.js');
  const server = await startDashboard(config, store, {
    clock,
    logger,
    steer: steerByOpening(config, store, logger),
  });
  process.stdout.write(`codex-monitor serve: listening on ${server.url}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return 0;
}
