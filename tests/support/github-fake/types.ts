/** Shared public types of the GitHub fake. */

export type Permission = 'none' | 'read' | 'write';

export type AuthorAssociation =
  | 'OWNER'
  | 'MEMBER'
  | 'COLLABORATOR'
  | 'CONTRIBUTOR'
  | 'FIRST_TIME_CONTRIBUTOR'
  | 'FIRST_TIMER'
  | 'MANNEQUIN'
  | 'NONE';

/**
 * One configured token and what it may do, modelled on a fine-grained personal access token:
 * repository metadata is always readable; `contents` gates the git data API (and merging),
 * `issues` gates issues, labels and comments, `pullRequests` gates the pulls endpoints.
 */
export interface TokenProfile {
  token: string;
  /** User the token acts as (default `test-user`). */
  login?: string;
  contents?: Permission;
  issues?: Permission;
  /** GitHub's "Pull requests" permission (default write). */
  pullRequests?: Permission;
  /** Association given to issues and comments this token creates (default MEMBER, OWNER on own repos). */
  association?: AuthorAssociation;
  /** Primary budget per hour for this token (defaults to the server's `primaryLimit`). */
  primaryLimit?: number;
  /** user (default): a personal token; app: a GitHub App's JWT; installation: an installation token. */
  kind?: 'user' | 'app' | 'installation';
  /** The app behind an `app` or `installation` credential. */
  appId?: number;
  installationId?: number;
  /** The rate-limit bucket (default the token itself): all of an installation's tokens share one. */
  bucket?: string;
}

/** Fault injection knobs; every field can be changed at any time, in-process or over HTTP. */
export interface FaultKnobs {
  /** Fixed latency added to every API request, in ms (half before processing, half after). */
  latencyMs: number;
  /** Extra latency drawn uniformly from [0, latencyJitterMs] per request. */
  latencyJitterMs: number;
  /** Probability in [0, 1] that a request is answered 502/503 before anything is done. */
  errorRate: number;
  /** Probability in [0, 1] that a successful write is committed and then answered 502. */
  lostResponseRate: number;
  /** The next N successful writes are committed and then answered 502 (counts down). */
  lostResponseNext: number;
  /** GETs see the state as it was this many ms ago; writes always act on the current state. */
  readLagMs: number;
  /** Offset added to the server's wall clock (timestamps, Date header, rate-limit windows). */
  clockOffsetMs: number;
  /**
   * Pins the server's wall clock at this epoch-ms value (0: real time), so a test can make
   * several changes "within one second" deterministically. `clockOffsetMs` still applies.
   */
  frozenClockMs: number;
  /** Status used when a rate limit (primary or secondary) is exceeded: GitHub sends 403 or 429. */
  rateLimitStatus: 403 | 429;
  /**
   * The answer to `POST /pulls` is held this many ms after the pull request was created: a
   * client that dies meanwhile never learns it landed (a crash between create and answer).
   */
  pullCreateAnswerDelayMs: number;
  /**
   * When > 0, every answer to a GET (304s included) carries `X-Poll-Interval` with this many
   * seconds, as GitHub sends on the endpoints it wants polled no more often (0: not sent).
   */
  pollIntervalSeconds: number;
}

export const defaultKnobs = (): FaultKnobs => ({
  latencyMs: 0,
  latencyJitterMs: 0,
  errorRate: 0,
  lostResponseRate: 0,
  lostResponseNext: 0,
  readLagMs: 0,
  clockOffsetMs: 0,
  frozenClockMs: 0,
  rateLimitStatus: 403,
  pullCreateAnswerDelayMs: 0,
  pollIntervalSeconds: 0,
});

/** Counters for benchmarks; keys of `byRoute` look like `PATCH /repos/{owner}/{repo}/git/refs/{ref}`. */
export interface FakeStats {
  /** API requests received (reserved `/_fake/*` paths excluded). */
  requests: number;
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
  notModified: number;
  /** API requests with POST, PATCH, PUT or DELETE, whatever their outcome. */
  writes: number;
  /** Requests to content-creating endpoints (see limits.ts), whatever their outcome. */
  contentCreating: number;
  primaryLimitHits: number;
  secondaryLimitHits: number;
  injected5xx: number;
  /** Writes that were committed but answered 502. */
  lostResponses: number;
}
