/** The reviewer's side of the review tests: its token (`rev`, reviewer-bot) for the chain and GitHub. */
import { createGitHubClient, type GitHubClient } from '../../src/boards/github/http/index.js';
import { LedgerRefs, RestTransport, ReviewChain } from '../../src/boards/github/ledger/index.js';
import { PullReviews } from '../../src/boards/github/pulls/index.js';
import { ManualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { MemoryKeyValueStore } from '../../src/state/kv-store.js';
import type { FakeGitHub } from '../support/github-fake/index.js';
import { octokitFor } from './ledger-support.js';

export async function reviewerSide(
  fake: FakeGitHub,
): Promise<{ chain: ReviewChain; reviews: PullReviews; client: GitHubClient }> {
  const transport = new RestTransport(
    octokitFor(fake, 'rev'),
    'acme',
    'widgets',
    new MemoryKeyValueStore(),
    silentLogger(),
  );
  await transport.prepare();
  const client = createGitHubClient({
    baseUrl: fake.url,
    token: 'rev',
    etags: new MemoryKeyValueStore(),
    logger: silentLogger(),
    pacing: false,
    waitUnitMs: 1,
  });
  return {
    chain: new ReviewChain({ transport, refs: new LedgerRefs(), clock: new ManualClock() }),
    reviews: new PullReviews(client, 'acme', 'widgets'),
    client,
  };
}
