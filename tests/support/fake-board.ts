/** A GitHub board opened in this process against the fake, as `run` opens it (tests, benchmarks). */
import { openGitHubBoard } from '../../src/boards/github/index.js';
import { githubPayloads } from '../../src/cli/open/github-payload.js';
import { loadConfig } from '../../src/config/config.js';
import { type Clock, systemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { currentOwner, openSharedState } from '../../src/state/open-state.js';
import type { FakeGitHub } from './github-fake/index.js';

/**
 * The board of `acme/widgets` on `fake` for owner `ownerId` (agent `codex`), its state under
 * `stateDir`; `env` adds or overrides settings. Close `store` when done.
 */
export function openFakeBoard(
  fake: FakeGitHub,
  stateDir: string,
  options: {
    env?: Record<string, string | undefined>;
    clock?: Clock;
    ownerId?: string;
    /** Metrics observers, passed to openGitHubBoard as `run` would. */
    observers?: Pick<Parameters<typeof openGitHubBoard>[2], 'onResponse' | 'onLimit' | 'onCasConflict'>;
  } = {},
) {
  const config = loadConfig({
    GITHUB_REPOSITORY: 'acme/widgets',
    GITHUB_TOKEN: 'test-token',
    GITHUB_API_URL: fake.url,
    GITHUB_PACE_WRITES: 'false',
    EXECUTOR: 'noop',
    CODEX_MONITOR_AGENT: 'codex',
    CODEX_MONITOR_STATE_DIR: stateDir,
    ...options.env,
  });
  const clock = options.clock ?? systemClock();
  const store = openSharedState(config, { clock });
  const { board } = openGitHubBoard(config, store, {
    clock,
    logger: silentLogger(),
    payloadFor: githubPayloads(config),
    self: currentOwner(options.ownerId ?? 'ws1/codex'),
    ...options.observers,
  });
  return { board, store, config, clock };
}
