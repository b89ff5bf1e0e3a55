/** Shared setup for the ledger's integration tests against the GitHub fake over real HTTP. */
import { Octokit } from '@octokit/rest';
import {
  type LedgerClaimResult,
  type LedgerTicket,
  RefLedger,
  RestTransport,
} from '../../src/boards/github/ledger/index.js';
import { ManualClock } from '../../src/core/clock.js';
import { type Logger, silentLogger } from '../../src/core/logger.js';
import { type KeyValueStore, MemoryKeyValueStore } from '../../src/state/kv-store.js';
import { type FakeGitHub, type FakeGitHubOptions, startFakeGitHub } from '../support/github-fake/index.js';

export const REPO = 'acme/widgets';
export const STALE_MS = 1000;

const quiet = () => {};

/** A fake with the secondary limits lifted: these tests make far more writes than a fleet would. */
export function startLedgerFake(opts: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  return startFakeGitHub({ secondaryPerMinute: 1_000_000, secondaryPerHour: 1_000_000, ...opts });
}

export function octokitFor(fake: FakeGitHub, token = 'test-token'): Octokit {
  return new Octokit({
    baseUrl: fake.url,
    auth: token,
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
  });
}

/** The ticket of a claim the test expects to win; a refusal fails the test with its reason. */
export function ticketOf(result: LedgerClaimResult): LedgerTicket {
  if (!result.ok) throw new Error(`expected a won claim, got ${result.reason}: ${result.detail}`);
  return result.ticket;
}

export interface LedgerUnderTest {
  ledger: RefLedger;
  clock: ManualClock;
  octokit: Octokit;
  commits: KeyValueStore;
}

export function makeLedger(
  fake: FakeGitHub,
  opts: {
    clock?: ManualClock;
    commits?: KeyValueStore;
    octokit?: Octokit;
    namespace?: string;
    logger?: Logger;
    onCasConflict?: () => void;
  } = {},
): LedgerUnderTest {
  const clock = opts.clock ?? new ManualClock();
  const commits = opts.commits ?? new MemoryKeyValueStore();
  const octokit = opts.octokit ?? octokitFor(fake);
  const ledger = new RefLedger({
    transport: new RestTransport(octokit, 'acme', 'widgets', commits, silentLogger()),
    clock,
    staleThresholdMs: STALE_MS,
    ...(opts.namespace ? { namespace: opts.namespace } : {}),
    ...(opts.logger ? { logger: opts.logger } : {}),
    ...(opts.onCasConflict ? { onCasConflict: opts.onCasConflict } : {}),
  });
  return { ledger, clock, octokit, commits };
}

export type ChainEntry = { sha: string; parents: readonly string[] } & Record<string, unknown>;

/** Records along a task chain, newest first; a commit without JSON shows as `{ foreign: message }`. */
export function chain(fake: FakeGitHub, issue: number, namespace = 'codex-monitor'): ChainEntry[] {
  const tip = fake.state.ref(REPO, `refs/${namespace}/tasks/${issue}`);
  if (!tip) return [];
  return fake.state.history(REPO, tip).map((c) => {
    const json = c.message.slice(c.message.indexOf('\n\n') + 2);
    try {
      return { sha: c.sha, parents: c.parents, ...(JSON.parse(json) as Record<string, unknown>) };
    } catch {
      return { sha: c.sha, parents: c.parents, foreign: c.message };
    }
  });
}

/** Counts of one route in the fake's statistics. */
export function count(fake: FakeGitHub, route: string): number {
  return fake.stats().byRoute[route] ?? 0;
}

export const ROUTES = {
  listRefs: 'GET /repos/{owner}/{repo}/git/matching-refs/{ref}',
  getRef: 'GET /repos/{owner}/{repo}/git/ref/{ref}',
  getCommit: 'GET /repos/{owner}/{repo}/git/commits/{commit_sha}',
  createCommit: 'POST /repos/{owner}/{repo}/git/commits',
  createRef: 'POST /repos/{owner}/{repo}/git/refs',
  updateRef: 'PATCH /repos/{owner}/{repo}/git/refs/{ref}',
};

/**
 * Loses the answer of each request `lose` picks: the fake applies it, then answers 502. `lose`
 * is asked once per request and decides (and counts) for itself.
 */
export function loseAnswers(
  octokit: Octokit,
  fake: FakeGitHub,
  lose: (request: { method: string; url: string }) => boolean,
): void {
  octokit.hook.before('request', (options) => {
    if (lose({ method: options.method, url: String(options.url) })) fake.setKnobs({ lostResponseNext: 1 });
  });
}

/** While `control.outage`: the first write to the ref endpoints lands, its answer and every ref request after it are lost. */
export function refOutage(octokit: Octokit, control: { outage: boolean; landed: boolean }): void {
  octokit.hook.wrap('request', async (request, options) => {
    if (control.outage && /\/git\/refs?(\/|$)/.test(String(options.url))) {
      if (options.method !== 'GET' && !control.landed) {
        control.landed = true;
        await request(options); // this write lands; its answer, and every read after it, is lost
      }
      throw Object.assign(new Error('Bad Gateway'), { status: 502 });
    }
    return request(options);
  });
}

/** An Octokit whose next request matching `method` and `path` has its answer lost (applied, then 502). */
export function losingOctokit(fake: FakeGitHub, method: string, path: RegExp) {
  const octokit = octokitFor(fake);
  let armed = 0;
  loseAnswers(octokit, fake, (r) => {
    if (armed === 0 || r.method !== method || !path.test(r.url)) return false;
    armed -= 1;
    return true;
  });
  return { octokit, arm: (n = 1) => (armed = n) };
}

/** An Octokit that can simulate an outage of the ref endpoints right after one write lands. */
export function flakyOctokit(fake: FakeGitHub) {
  const octokit = octokitFor(fake);
  const control = { outage: false, landed: false };
  refOutage(octokit, control);
  return { octokit, control };
}
