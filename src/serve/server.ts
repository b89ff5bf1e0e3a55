import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve as listen } from '@hono/node-server';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { CodexMonitorError, errorMessage } from '../core/errors.js';
import { checkBinding, newCsrfToken, requireToken, sameSecret } from './auth.js';
import { type ChartsSource, mountCharts } from './charts-routes.js';
import { type LogSource, mountLogs } from './log-routes.js';
import { type FleetPageData, fleetPage, taskPage } from './pages.js';
import { QueueSamples } from './queue-samples.js';
import { StatusStream } from './status-stream.js';
import type { TaskDetail } from './task-detail.js';

/** The board's steering as the server needs it (BoardSteering satisfies it). */
export interface Steering {
  retry(task: string): Promise<{ message: string }>;
  ignore(task: string, reason: string): Promise<{ message: string }>;
  unignore(task: string): Promise<{ message: string }>;
}

export type Health = { ok: true; detail?: string } | { ok: false; reason: string };

/** Where the server reads from: injected by the CLI (`serve`) or the daemon (`run --serve`). */
export interface ServeSources {
  /** Exactly `status --json`'s document. */
  status(): Promise<unknown>;
  /** Ready tasks in claim order (empty on GitHub, where the status document has the queue). */
  queue(): FleetPageData['queue'];
  task(id: string): Promise<TaskDetail | null>;
  /** Changes whenever the status may have (the event log grew, a task was added): the SSE poll's cursor. */
  cursor(): string;
  health(): Promise<Health>;
  /** Runs one steering act on the board (opened for it, or the daemon's own). */
  steer<T>(act: (steering: Steering) => Promise<T>): Promise<T>;
}

export interface ServerOptions {
  host: string;
  port: number;
  token: string | undefined;
  allowActions: boolean;
  sources: ServeSources;
  /**
   * Extra routes other parts of issue 14 mount. METRICS MOUNT POINT: `metrics` answers
   * GET /metrics (helper "metrics" builds it with prom-client), behind the same token check.
   */
  routes?: {
    metrics?: () => Promise<{ contentType: string; body: string }>;
    /** GET /charts and /api/charts (charts-routes.ts). */
    charts?: ChartsSource;
    /** GET /tasks/:id/log, and the fleet page's links to it (log-routes.ts). */
    logs?: LogSource;
  };
  /** How often the SSE poll reads the event log's newest id (default 500 ms). */
  pollMs?: number;
  /** SSE heartbeat comment period (default 15 s). */
  keepAliveMs?: number;
  onError?: (error: unknown) => void;
}

export interface RunningServer {
  /** `http://host:port`, the port the system chose when 0 was asked. */
  url: string;
  port: number;
  /** Stops listening, ends open streams; idempotent. */
  close(): Promise<void>;
}

const ACTIONS = ['retry', 'ignore', 'unignore'] as const;

/** Builds the Hono app (exported for the metrics helper and tests that need no socket). */
export function createApp(
  options: ServerOptions,
  csrf: string,
  stream: StatusStream,
  closing: AbortSignal,
  samples = new QueueSamples(),
): Hono {
  const { sources } = options;
  const app = new Hono();
  app.use('*', requireToken(options.token));
  app.onError((error, c) => {
    options.onError?.(error);
    const code = error instanceof CodexMonitorError ? error.code : 'INTERNAL';
    const status = code === 'INPUT_INVALID' ? 400 : code === 'NOT_FOUND' ? 404 : 500;
    return c.json({ error: code, reason: errorMessage(error) }, status);
  });
  app.notFound((c) => c.json({ error: 'NOT_FOUND', reason: `no route ${c.req.method} ${c.req.path}` }, 404));

  app.get('/healthz', async (c) => {
    const health = await sources.health();
    return health.ok
      ? c.json({ ok: true, detail: health.detail })
      : c.json({ ok: false, reason: health.reason }, 503);
  });
  app.get('/api/status', async (c) => c.json((await sources.status()) as object));
  const detail = async (id: string) => {
    const found = await sources.task(id);
    return found ?? null;
  };
  const unknownTask = (id: string) => ({
    error: 'NOT_FOUND',
    reason: `no task ${JSON.stringify(id)} on this board`,
  });
  app.get('/api/tasks/:id', async (c) => {
    const id = c.req.param('id');
    const found = await detail(id);
    return found ? c.json(found) : c.json(unknownTask(id), 404);
  });
  const logs = options.routes?.logs;
  app.get('/', async (c) =>
    c.html(fleetPage({ status: await sources.status(), queue: sources.queue(), logHere: logs?.here })),
  );
  if (logs) mountLogs(app, logs);
  app.get('/tasks/:id', async (c) => {
    const id = c.req.param('id');
    const found = await detail(id);
    if (!found) return c.json(unknownTask(id), 404);
    return c.html(taskPage(found, options.allowActions ? { csrf } : null));
  });
  if (options.routes?.metrics) {
    const metrics = options.routes.metrics;
    app.get('/metrics', async (c) => {
      const { contentType, body } = await metrics();
      return c.body(body, 200, { 'content-type': contentType });
    });
  }

  if (options.routes?.charts) mountCharts(app, options.routes.charts, samples, sources.status);

  app.get('/events/stream', (c) =>
    streamSSE(c, async (sse) => {
      let resolveDone = () => {};
      const done = new Promise<void>((resolve) => {
        resolveDone = resolve;
      });
      const unsubscribe = stream.subscribe((json) => void sse.writeSSE({ event: 'status', data: json }));
      const keepAlive = setInterval(() => void sse.write(': heartbeat\n\n'), options.keepAliveMs ?? 15_000);
      const end = () => resolveDone();
      sse.onAbort(end);
      closing.addEventListener('abort', end, { once: true });
      await sse.write(': connected\n\n');
      await done;
      clearInterval(keepAlive);
      unsubscribe();
      closing.removeEventListener('abort', end);
    }),
  );

  app.post('/api/tasks/:id/:action', async (c) => {
    const id = c.req.param('id');
    const action = c.req.param('action');
    if (!(ACTIONS as readonly string[]).includes(action)) {
      return c.json(
        { error: 'NOT_FOUND', reason: `no action ${JSON.stringify(action)}: use retry, ignore or unignore` },
        404,
      );
    }
    if (!options.allowActions) {
      return c.json(
        { error: 'FORBIDDEN', reason: 'actions are off: start the server with SERVE_ALLOW_ACTIONS=true' },
        403,
      );
    }
    const form = (c.req.header('content-type') ?? '').includes('form') ? await c.req.parseBody() : {};
    const given = c.req.header('x-csrf-token') ?? (typeof form.csrf === 'string' ? form.csrf : undefined);
    if (given === undefined || !sameSecret(given, csrf)) {
      return c.json(
        {
          error: 'FORBIDDEN',
          reason:
            'missing or wrong CSRF token: post from the task page (its form carries it) or send X-CSRF-Token',
        },
        403,
      );
    }
    const reason =
      typeof form.reason === 'string' && form.reason.trim()
        ? form.reason.trim()
        : 'ignored from the dashboard';
    const result = await sources.steer((s) =>
      action === 'retry' ? s.retry(id) : action === 'ignore' ? s.ignore(id, reason) : s.unignore(id),
    );
    return c.json(result);
  });
  return app;
}

/** Checks the binding, listens, and answers until `close()`. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  checkBinding(options.host, options.token);
  const csrf = newCsrfToken();
  const closing = new AbortController();
  const samples = new QueueSamples();
  const charts = options.routes?.charts;
  const stream = new StatusStream({
    cursor: options.sources.cursor,
    // The frames the stream sends anyway feed the queue-depth chart (no extra read).
    frame: async () => {
      const frame = await options.sources.status();
      if (charts) samples.record(charts.now(), frame);
      return frame;
    },
    pollMs: options.pollMs ?? 500,
    onError: options.onError,
  });
  const app = createApp(options, csrf, stream, closing.signal, samples);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = listen({ fetch: app.fetch, hostname: options.host, port: options.port }, () =>
      resolve(s as Server),
    );
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  let closed: Promise<void> | null = null;
  return {
    url: `http://${host}:${port}`,
    port,
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing.abort();
        stream.stop();
        server.close(() => resolve());
        // Open SSE responses would hold close() forever: end them.
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
