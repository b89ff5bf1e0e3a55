/**
 * One API request from arrival to answer, except the network: fault injection, authentication,
 * rate limits, permissions, the route handler, lost responses and conditional GETs.
 *
 * `processRequest` is synchronous. Everything asynchronous (reading the body, injected latency)
 * happens before or after it, so a handler's check and its write can never be separated by
 * another request — the property the claim protocol relies on.
 */

import type { ServerClock } from '../clock.js';
import { type ApiResult, GitHubError, notFound, parseJson } from '../http.js';
import type { Store } from '../model/store.js';
import type { Renderer } from '../render/render.js';
import type { TokenProfile } from '../types.js';
import { type Auth, checkPermission } from './auth.js';
import { etagOf, matchesIfNoneMatch } from './etag.js';
import type { Faults } from './faults.js';
import type { Limits } from './limits.js';
import type { Match } from './router.js';
import type { Stats } from './stats.js';

export interface Incoming {
  method: string;
  /** The route, matched after `/repositories/{id}/...` was rewritten to `/repos/{owner}/{repo}/...`. */
  match: Match | undefined;
  query: URLSearchParams;
  linkBase: string;
  body: string;
  authorization: string | undefined;
  ifNoneMatch: string | undefined;
}

export interface PipelineDeps {
  clock: ServerClock;
  store: Store;
  limits: Limits;
  faults: Faults;
  stats: Stats;
  auth: Auth;
  renderer: Renderer;
}

const RATE_DOCS = 'using-the-rest-api/rate-limits-for-the-rest-api';

export function processRequest(deps: PipelineDeps, req: Incoming): ApiResult {
  const { faults, limits, stats, clock, store } = deps;
  const injected = faults.injectedError();
  if (injected) {
    stats.bump('injected5xx');
    return { status: injected, body: { message: injected === 502 ? 'Server Error' : 'Service Unavailable' } };
  }

  let profile: TokenProfile | undefined;
  let result: ApiResult;
  const def = req.match?.def;
  try {
    profile = deps.auth.authenticate(req.authorization);
    if (!def?.free && !limits.reservePrimary(profile)) {
      stats.bump('primaryLimitHits');
      const id = store.userId(profile.login ?? 'test-user');
      throw new GitHubError(
        faults.knobs.rateLimitStatus,
        `API rate limit exceeded for user ID ${id}. If you reach out to GitHub Support for help, please include the request ID FAKE.`,
        { docs: `${RATE_DOCS}#about-the-primary-rate-limit` },
      );
    }
    if (!def || !req.match) throw notFound();
    const { owner, repo: name } = req.match.params;
    const repo = owner !== undefined && name !== undefined ? store.getRepo(owner, name) : undefined;
    if (owner !== undefined && !repo) throw notFound(def.docs);
    checkPermission(profile, def.scope, req.method, def.docs);
    if (def.contentCreating) {
      const wait = limits.takeSecondary(profile);
      if (wait !== undefined) {
        stats.bump('secondaryLimitHits');
        throw new GitHubError(
          faults.knobs.rateLimitStatus,
          'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID FAKE.',
          { docs: `${RATE_DOCS}#about-secondary-rate-limits`, headers: { 'retry-after': String(wait) } },
        );
      }
    }
    const lag = faults.knobs.readLagMs;
    result = def.handle({
      params: req.match.params,
      query: req.query,
      body: parseJson(req.body),
      profile,
      repo,
      asOf: req.method === 'GET' && lag > 0 ? clock.mono() - lag : undefined,
      now: clock.nowSeconds(),
      store,
      r: deps.renderer,
      linkBase: req.linkBase,
    });
  } catch (error) {
    if (!(error instanceof GitHubError)) throw error;
    result = error.toResult();
  }

  const headers: Record<string, string> = { ...result.headers };
  if (profile && !def?.free) Object.assign(headers, limits.headers(profile));
  const pollSeconds = faults.knobs.pollIntervalSeconds;
  if (req.method === 'GET' && pollSeconds > 0 && !def?.free) headers['x-poll-interval'] = String(pollSeconds);

  if (req.method !== 'GET' && result.status < 300 && faults.loseResponse()) {
    // The change is committed; only the answer is lost, as when a proxy times out.
    stats.bump('lostResponses');
    return { status: 502, body: { message: 'Server Error' } };
  }

  if (result.body !== undefined && result.status < 300) {
    const etag = etagOf(JSON.stringify(result.body));
    headers.etag = etag;
    if (req.method === 'GET') {
      headers['cache-control'] = 'private, max-age=60, s-maxage=60';
      if (matchesIfNoneMatch(req.ifNoneMatch, etag)) {
        // A 304 costs no primary rate limit on GitHub.
        if (profile && !def?.free) {
          limits.refundPrimary(profile);
          Object.assign(headers, limits.headers(profile));
        }
        delete headers.link;
        return { status: 304, headers };
      }
    }
  }
  return { ...result, headers };
}
