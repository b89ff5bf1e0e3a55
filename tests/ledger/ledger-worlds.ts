/**
 * The worlds the ledger's contract suite runs in: the REST transport against the GitHub fake
 * over HTTP, and the git transport against a real bare repository over file:// and over smart
 * HTTP (`git http-backend`). Each world makes ledgers with their own clock (and, for git, their
 * own cache repository), reads a chain as it is on the remote, and can lose the answer of the
 * next ref writes after they were applied.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitTransport, RefLedger } from '../../src/boards/github/ledger/index.js';
import { ManualClock } from '../../src/core/clock.js';
import { type Logger, silentLogger } from '../../src/core/logger.js';
import {
  chain as fakeChain,
  type LedgerUnderTest,
  loseAnswers,
  makeLedger,
  octokitFor,
  refOutage,
  startLedgerFake,
} from '../github/ledger-support.js';
import {
  armLostPush,
  type ChainEntry,
  createBareRepo,
  type GitHttpServer,
  gitChain,
  startGitHttpServer,
} from '../support/git-server/index.js';

export const STALE_MS = 1000;

export type WorldLedger = Pick<LedgerUnderTest, 'ledger' | 'clock'>;

export interface LedgerWorld {
  readonly name: 'rest' | 'git-file' | 'git-http';
  makeLedger(opts?: { clock?: ManualClock; namespace?: string; logger?: Logger }): WorldLedger;
  /** Records along a task chain on the remote, newest first. */
  chain(issue: number, namespace?: string): ChainEntry[];
  /** Commits on an owner's chain on the remote. */
  ownerChainLength(encodedOwner: string): number;
  /** The answers of the next `n` ref writes are lost after the remote applied them. */
  loseNextWrites(n: number): void;
  /**
   * The next ref write lands, then every request fails (its answer and all reads after it are
   * lost) until `end()`; `landed()` tells whether that write happened.
   */
  outageAfterNextWrite(): { end(): void; landed(): boolean };
  /** Reads lag this long behind writes (REST: GitHub's replicas; git reads are never stale). */
  setReadLag(ms: number): void;
  /** Requests that reached the ledger's server so far (REST requests; git fetches and pushes). */
  calls(): number;
  /** HTTP requests the server answered so far (REST; git's smart HTTP; none over file://). */
  httpRequests(): number;
  /** Adds this much latency to every answer (REST and git over HTTP; file:// has none). */
  setLatency(ms: number): void;
  /** Ref writes sent so far by this world's ledgers (REST: every write request; git: pushes). */
  writes(): number;
  /** Shifts the server's clock (commit dates on GitHub); git commit dates are the writer's own. */
  skewServerClock(ms: number): void;
  close(): Promise<void>;
}

export const WORLDS: LedgerWorld['name'][] = ['rest', 'git-file', 'git-http'];

export async function openWorld(name: LedgerWorld['name']): Promise<LedgerWorld> {
  return name === 'rest' ? restWorld() : gitWorld(name);
}

async function restWorld(): Promise<LedgerWorld> {
  const fake = await startLedgerFake();
  let lose = 0;
  const outage = { outage: false, landed: false };
  return {
    name: 'rest',
    makeLedger: (opts = {}) => {
      const octokit = octokitFor(fake);
      loseAnswers(octokit, fake, (r) => {
        if (lose === 0 || r.method === 'GET' || !/\/git\/refs/.test(r.url)) return false;
        lose -= 1;
        return true;
      });
      refOutage(octokit, outage);
      return makeLedger(fake, { ...opts, octokit });
    },
    chain: (issue, namespace) => fakeChain(fake, issue, namespace),
    ownerChainLength: (owner) => {
      const tip = fake.state.ref('acme/widgets', `refs/codex-monitor/owners/${owner}`);
      return tip ? fake.state.history('acme/widgets', tip).length : 0;
    },
    loseNextWrites: (n) => {
      lose = n;
    },
    outageAfterNextWrite: () => {
      Object.assign(outage, { outage: true, landed: false });
      return { end: () => (outage.outage = false), landed: () => outage.landed };
    },
    setReadLag: (ms) => fake.setKnobs({ readLagMs: ms }),
    writes: () => fake.stats().writes,
    calls: () => fake.stats().requests,
    httpRequests: () => fake.stats().requests,
    setLatency: (ms) => fake.setKnobs({ latencyMs: ms, latencyJitterMs: 0 }),
    skewServerClock: (ms) => fake.setKnobs({ clockOffsetMs: ms }),
    close: () => fake.close(),
  };
}

async function gitWorld(name: 'git-file' | 'git-http'): Promise<LedgerWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'codex-monitor-ledger-'));
  const root = join(dir, 'srv');
  const bare = createBareRepo(join(root, 'acme', 'ledger.git'));
  let server: GitHttpServer | undefined;
  if (name === 'git-http') server = await startGitHttpServer({ root });
  const remote = server ? server.url('acme/ledger.git') : `file://${bare}`;
  const transports: GitTransport[] = [];
  /** An outage begins once the armed lost write happened: every git network call then fails. */
  let outage: { landed(): boolean; on: boolean } | null = null;
  const auth = async (): Promise<Record<string, string>> =>
    outage?.on && outage.landed() ? { GIT_ALLOW_PROTOCOL: 'none' } : {};
  return {
    name,
    makeLedger: (opts = {}) => {
      const clock = opts.clock ?? new ManualClock();
      const transport = new GitTransport({
        remote,
        cacheDir: join(dir, `cache-${transports.length + 1}.git`),
        auth,
        logger: silentLogger(),
      });
      transports.push(transport);
      const ledger = new RefLedger({
        transport,
        clock,
        staleThresholdMs: STALE_MS,
        ...(opts.namespace ? { namespace: opts.namespace } : {}),
        ...(opts.logger ? { logger: opts.logger } : {}),
      });
      return { ledger, clock };
    },
    chain: (issue, namespace = 'codex-monitor') => gitChain(bare, `refs/${namespace}/tasks/${issue}`),
    ownerChainLength: (owner) => gitChain(bare, `refs/codex-monitor/owners/${owner}`).length,
    loseNextWrites: (n) => {
      if (server) server.setKnobs({ losePushResponses: n });
      else armLostPush(bare, n);
    },
    outageAfterNextWrite: () => {
      let landed: () => boolean;
      if (server) {
        const before = server.stats().lostPushes;
        server.setKnobs({ losePushResponses: 1 });
        landed = () => server!.stats().lostPushes > before;
      } else {
        const arm = armLostPush(bare, 1);
        landed = () => arm.remaining() === 0;
      }
      const state = { on: true, landed: () => landed() };
      outage = state;
      return { end: () => (state.on = false), landed: () => landed() };
    },
    setReadLag: () => {},
    writes: () => transports.reduce((sum, t) => sum + t.calls.push, 0),
    calls: () => transports.reduce((sum, t) => sum + t.calls.push + t.calls.fetch, 0),
    setLatency: (ms) => server?.setKnobs({ latencyMs: ms }),
    httpRequests: () => server?.stats().requests ?? 0,
    skewServerClock: () => {},
    close: async () => {
      await server?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
