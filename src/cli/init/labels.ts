/**
 * The `codex:*` labels, created by `init` once the repository is known, the way the daemon
 * creates them at start-up (same names, colours and descriptions; idempotent).
 */
import type { Config } from '../../config/config.js';
import { systemClock } from '../../core/clock.js';
import { createLogger } from '../../core/logger.js';
import { openSharedState } from '../../state/open-state.js';
import { githubPayloads } from '../open/github-payload.js';
import { openGitHubAuthFor } from '../open/open-board.js';

/** Which labels this call created, and which already existed. */
export interface LabelsResult {
  created: string[];
  existing: string[];
}

export async function createCodexLabels(config: Config): Promise<LabelsResult> {
  const repository = config.github.repository;
  if (repository === undefined) return { created: [], existing: [] };
  const clock = systemClock(config.clockOffsetMs);
  const logger = createLogger(config.logLevel);
  const { openGitHubBoard } = await import('../../boards/github/index.js');
  const { CODEX_LABELS, ensureLabels } = await import('../../boards/github/mirror/index.js');
  const auth = await openGitHubAuthFor(config, clock);
  const store = openSharedState(config);
  try {
    const { client } = openGitHubBoard(config, store, {
      clock,
      logger,
      payloadFor: githubPayloads(config),
      ...(auth ? { auth } : {}),
    });
    const created = await ensureLabels(client, repository.owner, repository.repo);
    const existing = CODEX_LABELS.map((l) => l.name).filter((name) => !created.includes(name));
    return { created, existing };
  } finally {
    store.close();
  }
}
