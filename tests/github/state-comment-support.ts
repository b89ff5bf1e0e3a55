/** What the state comment's tests against the GitHub fake share: a store, a state, captured logs. */
import { pino } from 'pino';
import { createGitHubClient } from '../../src/boards/github/http/index.js';
import {
  type MirrorState,
  type StateCommentOptions,
  StateCommentStore,
} from '../../src/boards/github/mirror/index.js';
import { MemoryKeyValueStore } from '../../src/state/kv-store.js';
import type { FakeGitHub } from '../support/github-fake/index.js';

/** A logger whose output accumulates in `sink.text` (reset it freely). */
export function capturedLogger() {
  const sink = { text: '' };
  const logger = pino(
    { level: 'info' },
    {
      write: (s: string) => {
        sink.text += s;
      },
    },
  );
  return { logger, sink };
}

export const mirrorState = (over: Partial<MirrorState> = {}): MirrorState => ({
  owner: 'ws-a/agent-1',
  status: 'working',
  attempt: 1,
  maxAttempts: 3,
  since: '2026-01-01T00:00:00Z',
  heartbeat: '2026-01-01T00:01:00Z',
  epoch: 1,
  ...over,
});

/** A store on `owner/repo` of the fake, with its own ETag cache, unpaced. */
export function commentStore(
  fake: FakeGitHub,
  repository: string,
  options: { token?: string } & Pick<StateCommentOptions, 'logger'> & Partial<StateCommentOptions>,
): StateCommentStore {
  const [owner, repo] = repository.split('/') as [string, string];
  const client = createGitHubClient({
    baseUrl: fake.url,
    token: options.token ?? 'test-token',
    etags: new MemoryKeyValueStore(),
    logger: options.logger,
    pacing: false,
    waitUnitMs: 1,
  });
  const { token: _token, ...rest } = options;
  return new StateCommentStore({ client, owner, repo, ...rest });
}
