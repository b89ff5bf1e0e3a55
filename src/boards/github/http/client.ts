/**
 * The GitHub client: Octokit with plugin-retry, plugin-throttling and a persisted ETag cache,
 * errors mapped to the typed classes of errors.ts, and logs that never carry a header.
 *
 * Hook order: our `request` wrap is registered last, so it is the outermost. It adds
 * `If-None-Match`, turns a 304 (a RequestError to everything inside) back into the cached 200,
 * and maps the error that is left after throttling and retries to a typed error.
 */
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { CodexMonitorError } from '../../../core/errors.js';
import type { Logger } from '../../../core/logger.js';
import { redactUrl } from '../../../core/redact.js';
import type { KeyValueStore } from '../../../state/kv-store.js';
import type { GitHubAppAuth } from './app-auth.js';
import { errorForStatus, GitHubRateLimitedError, GitHubUnreachableError, networkFailure } from './errors.js';
import { cacheKey, EtagCache, replay } from './etag-cache.js';
import { noRetryOnceAborted } from './no-retry-once-aborted.js';
import type { RateLimitKind, ResponseHeaders } from './rate-limit.js';

const GitHubOctokit = Octokit.plugin(retry, throttling);

/** An Octokit instance with the retry and throttling plugins and our request hook. */
export type GitHubClient = InstanceType<typeof GitHubOctokit>;

export interface ResponseInfo {
  method: string;
  route: string;
  /** Undefined when no answer came (a failed connection, an abort). */
  status: number | undefined;
  headers?: ResponseHeaders;
}

export interface LimitInfo {
  kind: RateLimitKind;
  retryAfterMs: number;
  /** Epoch ms when the wait ends. */
  resetAt?: number;
}

/** How the client authenticates: a token, or a GitHub App installation (app-auth.ts). */
export type GitHubClientAuth = { token: string; app?: never } | { app: GitHubAppAuth; token?: never };

export type GitHubClientOptions = GitHubClientAuth & GitHubClientSettings;

export interface GitHubClientSettings {
  baseUrl: string;
  /** Where ETags and the bodies they stand for persist (namespace `etag`). */
  etags: KeyValueStore;
  logger: Logger;
  /** Told whenever a rate limit makes us wait (or give up): the daemon shows it in status. */
  onLimit?: (info: LimitInfo) => void;
  /**
   * Told of every answer (after retries, a 304 before its replay) or failed connection: metrics
   * count requests by route and read the rate-limit headers. `route` is Octokit's template, or
   * the concrete URL of a followed next-page link (the observer reduces it to a template).
   */
  onResponse?: (info: ResponseInfo) => void;
  userAgent?: string;
  /** Retries after a rate-limit refusal (default 2). */
  maxLimitRetries?: number;
  /**
   * A limit wait longer than this is not slept inside the request (it could not be aborted):
   * the request fails with GitHubRateLimitedError and the caller schedules (default 5 min).
   */
  maxLimitWaitMs?: number;
  /** Retries of GET/PATCH/PUT/DELETE after a 5xx or a lost connection (default 3). */
  serverRetries?: number;
  /**
   * Aborted when the daemon starts to stop: from then on a failed request is not retried, so
   * a graceful stop in an outage does not sit out 1 + 4 + 9 s of retry waits on requests that
   * carry no signal of their own (a heartbeat, the mirror). What it could not write is kept
   * for the next start (pending releases), as after any failure.
   */
  stopRetries?: AbortSignal;
  /**
   * Pace writes as GitHub asks (serialised, ≥ 1 s apart; ≥ 3 s for comments and issues).
   * Default true; tests that make many writes turn it off.
   */
  pacing?: boolean;
  /** Milliseconds per second of every retry wait (default 1000); tests pass 1. */
  waitUnitMs?: number;
}

/** Rate limits belong to plugin-throttling alone (429 included), so nothing retries them twice. */
const DO_NOT_RETRY = [400, 401, 403, 404, 409, 410, 422, 429, 451];

/** Stands in for a Bottleneck group when pacing is off: schedules at once. */
const unpaced = {
  key: () => ({
    schedule: (...args: unknown[]) => {
      const [fn, ...rest] = (typeof args[0] === 'function' ? args : args.slice(1)) as [
        (...a: unknown[]) => unknown,
        ...unknown[],
      ];
      return Promise.resolve().then(() => fn(...rest));
    },
  }),
};

export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const { logger } = options;
  const unit = options.waitUnitMs ?? 1000;
  const maxLimitRetries = options.maxLimitRetries ?? 2;
  const maxLimitWaitMs = options.maxLimitWaitMs ?? 5 * 60_000;
  const reported = new WeakSet<object>();
  const observe = (info: ResponseInfo) => {
    // An observer's failure is its own: it never fails the request it watched.
    try {
      options.onResponse?.(info);
    } catch (error) {
      logger.warn({ err: error }, 'the GitHub response observer failed');
    }
  };
  const report = (info: LimitInfo) => {
    logger.warn(info, 'waiting on a GitHub rate limit');
    options.onLimit?.(info);
  };
  // A refusal by a rate limit means the request was not applied, so retrying it is safe for
  // every method, POST included (unlike a 5xx, see below).
  const onLimit =
    (kind: RateLimitKind) => (retryAfter: number, request: object, _octokit: unknown, retryCount: number) => {
      const retryAfterMs = retryAfter * 1000;
      reported.add(request);
      report({ kind, retryAfterMs, resetAt: Date.now() + retryAfterMs });
      return retryCount < maxLimitRetries && retryAfterMs <= maxLimitWaitMs;
    };
  const quiet = () => {};
  const client = new GitHubOctokit({
    baseUrl: options.baseUrl,
    // An app's installation token comes from the shared auth-app instance, refreshed before
    // it expires; everything below (ETags, retries, throttling) is the same for both.
    ...(options.app ? { authStrategy: options.app.authStrategy } : { auth: options.token }),
    ...(options.userAgent ? { userAgent: options.userAgent } : {}),
    // Octokit's own logging is replaced by ours (below), which never logs headers.
    log: { debug: quiet, info: quiet, warn: (m: string) => logger.warn(String(m)), error: quiet },
    retry: { retryAfterBaseValue: unit, doNotRetry: DO_NOT_RETRY, retries: options.serverRetries ?? 3 },
    throttle: {
      onRateLimit: onLimit('primary'),
      onSecondaryRateLimit: onLimit('secondary'),
      retryAfterBaseValue: unit,
      ...(options.pacing === false ? { write: unpaced as never, notifications: unpaced as never } : {}),
    },
  });
  const cache = new EtagCache(options.etags);

  client.hook.wrap('request', async (request, opts) => {
    const method = opts.method.toUpperCase();
    const url = client.request.endpoint.parse(opts).url;
    const path = /^https?:/.test(opts.url) ? new URL(url).pathname : opts.url;
    // plugin-retry retries 5xx for every method. A POST whose response was lost (502, reset
    // connection) may have been applied: repeating it could create a second comment, label or
    // commit. POSTs are therefore never retried here; their callers re-read and de-duplicate.
    // GET, PATCH, PUT and DELETE are idempotent as we use them and keep the retries.
    // Hooks inside this one are bound to this same options object, so it is changed in place;
    // `request` is copied because Octokit shares it between calls and plugin-retry writes to it.
    opts.request =
      method === 'POST'
        ? { ...opts.request, retries: 0 }
        : noRetryOnceAborted({ ...opts.request }, options.stopRetries);
    const key =
      method === 'GET' && opts.headers['if-none-match'] === undefined ? cacheKey(method, url) : null;
    // `request: { fresh: true }` reads past the cache (a 304 right after an uncertain write proves
    // nothing); the fresh answer still refreshes the entry.
    const fresh = (opts.request as { fresh?: unknown } | undefined)?.fresh === true;
    const entry = key === null || fresh ? undefined : cache.read(key, url);
    if (entry) opts.headers['if-none-match'] = entry.etag;
    const started = Date.now();
    try {
      const response = await request(opts);
      logger.debug({ method, route: path, status: response.status, ms: Date.now() - started }, 'github');
      observe({
        method,
        route: opts.url,
        status: response.status,
        headers: response.headers as ResponseHeaders,
      });
      const etag = response.headers.etag;
      if (key !== null && response.status === 200 && typeof etag === 'string') {
        const link = response.headers.link;
        cache.write(key, { url, etag, data: response.data, ...(link ? { link } : {}) });
      }
      return response;
    } catch (error) {
      const failure = error as {
        status?: unknown;
        name?: string;
        response?: { headers: ResponseHeaders; data: unknown };
      };
      const status = typeof failure.status === 'number' ? failure.status : undefined;
      logger.debug({ method, route: path, status, ms: Date.now() - started }, 'github');
      observe({
        method,
        route: opts.url,
        status,
        ...(failure.response ? { headers: failure.response.headers } : {}),
      });
      if (status === 304 && entry) return replay(entry, failure.response?.headers);
      if (
        // Already typed (a GitHub App's failed token trade, app-auth.ts): it says what to fix.
        error instanceof CodexMonitorError ||
        status === undefined ||
        status === 304 ||
        failure.name === 'AbortError' ||
        opts.request.signal?.aborted
      ) {
        throw error;
      }
      const data = failure.response?.data as { message?: unknown } | undefined;
      const message = redactUrl(typeof data?.message === 'string' ? data.message : (error as Error).message);
      if (!failure.response) {
        // Octokit reports a failed connection as status 500 without a response.
        const network = networkFailure(error) ?? 'FETCH_FAILED';
        throw new GitHubUnreachableError({ method, path, message }, options.baseUrl, network, {
          cause: error,
        });
      }
      const response = failure.response
        ? { headers: failure.response.headers, data: failure.response.data }
        : undefined;
      const mapped = errorForStatus(
        { method, path, status, message, ...(response ? { response } : {}) },
        error,
      );
      if (mapped instanceof GitHubRateLimitedError && !reported.has(opts)) {
        report({ kind: mapped.kind, retryAfterMs: mapped.retryAfterMs, resetAt: mapped.resetAt });
      }
      throw mapped;
    }
  });
  return client;
}
