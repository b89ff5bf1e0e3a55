/** The HTTP server: routing, latency around the synchronous pipeline, response headers. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ServerClock } from './clock.js';
import { CONTROL_PREFIX, handleControl } from './control.js';
import { type ApiResult, GitHubError, readBody } from './http.js';
import { BareRepos } from './model/bare-git.js';
import { applySeed, DEFAULT_SEED, type SeedData } from './model/seed.js';
import { Store } from './model/store.js';
import { Apps, type FakeApp } from './pipeline/apps.js';
import { Auth, DEFAULT_TOKEN } from './pipeline/auth.js';
import { Faults, sleep } from './pipeline/faults.js';
import { Limits } from './pipeline/limits.js';
import { type Incoming, processRequest } from './pipeline/pipeline.js';
import { Router } from './pipeline/router.js';
import { Stats } from './pipeline/stats.js';
import type { Renderer } from './render/render.js';
import { appRoutes } from './routes/apps.js';
import { commentRoutes } from './routes/comments.js';
import { gitObjectRoutes } from './routes/git-objects.js';
import { gitRefRoutes } from './routes/git-refs.js';
import { graphqlRoutes } from './routes/graphql.js';
import { issueRoutes } from './routes/issues.js';
import { labelRoutes } from './routes/labels.js';
import { pullRoutes } from './routes/pulls.js';
import { repoRoutes } from './routes/repos.js';
import { reviewRoutes } from './routes/reviews.js';
import type { FaultKnobs, TokenProfile } from './types.js';

export interface ServerOptions {
  /** Tokens and their permissions (default: `test-token` with full permissions). */
  tokens?: TokenProfile[];
  /** Primary requests per hour per token (default 5000). */
  primaryLimit?: number;
  /** Content-creating requests per sliding minute per token (default 80). */
  secondaryPerMinute?: number;
  /** Content-creating requests per sliding hour per token (default 500). */
  secondaryPerHour?: number;
  /** Initial data (default: `acme/widgets` with default branch `main`). */
  seed?: SeedData;
  /** Seed of the RNG behind random latency and faults (default 1). */
  rngSeed?: number;
  /** Base of `html_url`s (default https://github.com). */
  htmlUrl?: string;
  /**
   * Directory for real bare git repositories, one per seeded repository at
   * `<gitRoot>/<owner>/<repo>.git`: pull requests read their branches there. Without it the
   * fake has no git repositories and every head is unknown (422 on create).
   */
  gitRoot?: string;
  /** GitHub Apps, each with one installation covering every repository (see pipeline/apps.ts). */
  apps?: FakeApp[];
}

export class FakeServer {
  readonly clock = new ServerClock();
  readonly store = new Store(this.clock);
  readonly stats = new Stats();
  readonly faults: Faults;
  readonly limits: Limits;
  readonly auth: Auth;
  readonly apps: Apps;
  readonly router = new Router();
  readonly #http: Server;
  readonly #htmlUrl: string;
  #url = '';
  #requestId = 0;
  #closing: Promise<void> | undefined;

  constructor(opts: ServerOptions = {}) {
    this.faults = new Faults(opts.rngSeed ?? 1);
    this.limits = new Limits(
      {
        primaryLimit: opts.primaryLimit ?? 5000,
        secondaryPerMinute: opts.secondaryPerMinute ?? 80,
        secondaryPerHour: opts.secondaryPerHour ?? 500,
      },
      this.clock,
    );
    this.apps = new Apps(opts.apps ?? [], this.clock);
    this.auth = new Auth(opts.tokens?.length ? opts.tokens : [DEFAULT_TOKEN], this.apps);
    this.#htmlUrl = opts.htmlUrl ?? 'https://github.com';
    for (const routes of [repoRoutes(this.limits), issueRoutes(), labelRoutes(), commentRoutes()]) {
      this.router.add(routes);
    }
    this.router.add([...gitRefRoutes(), ...gitObjectRoutes(), ...pullRoutes(), ...appRoutes(this.apps)]);
    this.router.add([...reviewRoutes(), ...graphqlRoutes()]);
    if (opts.gitRoot) this.store.git = new BareRepos(opts.gitRoot);
    applySeed(this.store, opts.seed ?? DEFAULT_SEED);
    this.#http = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        console.error('fake GitHub: internal error', error);
        if (!res.headersSent) this.#send(res, { status: 500, body: { message: 'Server Error' } });
      });
    });
  }

  get url(): string {
    return this.#url;
  }

  async listen(port = 0): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.#http.once('error', reject);
      this.#http.listen(port, '127.0.0.1', () => resolve());
    });
    this.#url = `http://127.0.0.1:${(this.#http.address() as AddressInfo).port}`;
    return this.#url;
  }

  /** Idempotent: every call returns the same promise. */
  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve, reject) => {
      this.#http.close((error) => (error ? reject(error) : resolve()));
      this.#http.closeAllConnections();
    });
    return this.#closing;
  }

  setKnobs(update: Partial<FaultKnobs>): FaultKnobs {
    const knobs = this.faults.set(update);
    this.clock.offsetMs = knobs.clockOffsetMs;
    this.clock.frozenMs = knobs.frozenClockMs;
    this.clock.noteLag(knobs.readLagMs);
    return knobs;
  }

  seed(data: SeedData): void {
    applySeed(this.store, data);
  }

  get #renderer(): Renderer {
    return { api: this.#url, html: this.#htmlUrl, store: this.store };
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', this.#url);
    let body: string;
    try {
      body = await readBody(req);
    } catch (error) {
      if (error instanceof GitHubError) return this.#send(res, error.toResult());
      throw error;
    }
    if (url.pathname.startsWith(CONTROL_PREFIX)) {
      return this.#send(res, handleControl(this.#controls(), method, url.pathname, body));
    }
    const { path, linkBase } = this.#resolvePath(url.pathname);
    const match = this.router.match(method, path);
    this.stats.request(`${method} ${match?.template ?? '(unmatched)'}`, method, !!match?.def.contentCreating);
    const incoming: Incoming = {
      method,
      match,
      query: url.searchParams,
      linkBase,
      body,
      authorization: req.headers.authorization,
      ifNoneMatch: req.headers['if-none-match'],
    };
    // Latency is split around the synchronous pipeline: a request in flight, then its answer.
    const delay = this.faults.latency();
    await sleep(delay / 2);
    const result = processRequest(
      {
        clock: this.clock,
        store: this.store,
        limits: this.limits,
        faults: this.faults,
        stats: this.stats,
        auth: this.auth,
        renderer: this.#renderer,
      },
      incoming,
    );
    this.stats.status(result.status);
    const held = incoming.method === 'POST' && match?.template === PULLS_PATH;
    await sleep(delay / 2 + (held ? this.faults.knobs.pullCreateAnswerDelayMs : 0));
    this.#send(res, result);
  }

  /**
   * GitHub's pagination links use `/repositories/{id}/...`; such paths are served as
   * `/repos/{owner}/{repo}/...`. Returns the base for this list's own pagination links.
   */
  #resolvePath(pathname: string): { path: string; linkBase: string } {
    const byId = /^\/repositories\/(\d+)(\/.*)?$/.exec(pathname);
    if (byId) {
      const repo = this.store.repoById(Number(byId[1]));
      if (!repo) return { path: pathname, linkBase: `${this.#url}${pathname}` };
      return {
        path: `/repos/${repo.owner}/${repo.name}${byId[2] ?? ''}`,
        linkBase: `${this.#url}${pathname}`,
      };
    }
    const m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(pathname);
    const repo = m ? this.store.getRepo(safeDecode(m[1]!), safeDecode(m[2]!)) : undefined;
    if (m && repo) return { path: pathname, linkBase: `${this.#url}/repositories/${repo.id}${m[3] ?? ''}` };
    return { path: pathname, linkBase: `${this.#url}${pathname}` };
  }

  #controls() {
    return {
      stats: () => this.stats.snapshot(),
      resetStats: () => this.stats.reset(),
      knobs: () => ({ ...this.faults.knobs }),
      setKnobs: (k: Partial<FaultKnobs>) => this.setKnobs(k),
      seed: (data: SeedData) => this.seed(data),
      resetLimits: () => this.limits.reset(),
      snapshot: () => this.store.snapshot(),
    };
  }

  #send(res: ServerResponse, result: ApiResult): void {
    if (res.destroyed || res.writableEnded) return;
    const headers: Record<string, string> = {
      date: new Date(this.clock.now()).toUTCString(),
      'x-github-request-id': `FAKE:${++this.#requestId}`,
      'x-github-media-type': 'github.v3; format=json',
      'x-github-api-version-selected': '2022-11-28',
      vary: 'Accept, Authorization, Cookie, X-GitHub-OTP',
      ...result.headers,
    };
    const text = result.body === undefined || result.status === 304 ? undefined : JSON.stringify(result.body);
    if (text !== undefined) {
      headers['content-type'] = 'application/json; charset=utf-8';
      headers['content-length'] = String(Buffer.byteLength(text));
    }
    res.writeHead(result.status, headers);
    res.end(text);
  }
}

const PULLS_PATH = '/repos/{owner}/{repo}/pulls';

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
