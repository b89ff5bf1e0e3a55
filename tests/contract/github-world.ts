/**
 * A world of GitHub boards for the contract: the fake over real HTTP, one state directory per
 * daemon (separate workstations), a clock the test moves for backoffs and stale thresholds.
 */
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import type { SharedState } from '../../src/state/shared-state.js';
import { openFakeBoard } from '../support/fake-board.js';
import { startFakeGitHub } from '../support/github-fake/index.js';
import { MovedClock } from '../support/moved-clock.js';
import { useTempDirs } from '../support/temp-dir.js';
import type { BoardWorld } from './board-contract.js';

/** Registered by whichever test file imports this world. */
const tempDir = useTempDirs();
const MAX_RETRIES = 2;
const STALE_MS = 3_000;
const BACKOFF_MAX_MS = 2_000;

/** Call from a test file (it registers temp-dir clean-up hooks). */
export async function githubWorld(): Promise<BoardWorld & { storeOf(ownerId: string): SharedState }> {
  const fake = await startFakeGitHub({ secondaryPerMinute: 100_000, secondaryPerHour: 100_000 });
  fake.seed({ repos: [{ owner: 'acme', name: 'widgets', issues: [] }] });
  const octokit = new Octokit({
    baseUrl: fake.url,
    auth: 'test-token',
    log: { debug() {}, info() {}, warn() {}, error() {} },
  });
  const clock = new MovedClock();
  const stores = new Map<string, SharedState>();
  return {
    storeOf: (ownerId) => stores.get(ownerId)!,
    maxRetries: MAX_RETRIES,
    longerThanAnyWait: STALE_MS + BACKOFF_MAX_MS,
    async open(ownerId) {
      const env = {
        CODEX_MONITOR_AGENT: undefined, // any capability
        CODEX_MONITOR_OWNER_ID: ownerId,
        SHARED_STATE_MAX_RETRIES: String(MAX_RETRIES),
        SHARED_STATE_HEARTBEAT_INTERVAL_MS: '300',
        SHARED_STATE_STALE_THRESHOLD_MS: String(STALE_MS),
        TASK_CLAIM_OWNER_STALE_TTL_MS: String(STALE_MS),
        SHARED_STATE_BACKOFF_BASE_MS: '1000',
        SHARED_STATE_BACKOFF_MAX_MS: String(BACKOFF_MAX_MS),
      };
      const { board, store } = openFakeBoard(fake, join(tempDir(), 'state'), { env, clock, ownerId });
      stores.set(ownerId, store);
      return board;
    },
    async seed(count) {
      const created = [];
      for (let i = 0; i < count; i++) {
        const { data } = await octokit.rest.issues.create({
          owner: 'acme',
          repo: 'widgets',
          title: 'A task',
        });
        created.push({ id: `acme/widgets#${data.number}`, ref: `#${data.number}` });
      }
      return created;
    },
    async elapse(ms) {
      clock.advance(ms);
    },
    async silence() {
      // Nothing to stop: these boards beat only when the test calls heartbeat.
    },
    async close() {
      for (const store of stores.values()) store.close();
      stores.clear();
      await fake.close();
    },
  };
}
