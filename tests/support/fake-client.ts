import { createGitHubClient } from '../../src/boards/github/http/index.js';
import { silentLogger } from '../../src/core/logger.js';
import { type KeyValueStore, MemoryKeyValueStore } from '../../src/state/kv-store.js';
import type { FakeGitHub } from './github-fake/index.js';

/** Our GitHub client against the fake: unpaced, retry waits in ms, its own ETag cache unless given. */
export function fakeClient(
  fake: FakeGitHub,
  etags: KeyValueStore = new MemoryKeyValueStore(),
  observers: Pick<Parameters<typeof createGitHubClient>[0], 'onResponse' | 'onLimit'> = {},
) {
  return createGitHubClient({
    baseUrl: fake.url,
    token: 'test-token',
    etags,
    logger: silentLogger(),
    pacing: false,
    waitUnitMs: 1,
    ...observers,
  });
}
