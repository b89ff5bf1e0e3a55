/**
 * Who ran an issue's latest attempt, from the claim ledger (one refresh): on GitHub another
 * workstation may have run it, and its log is there, not here.
 */
import type { Config } from '../../config/config.js';
import { systemClock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { SharedState } from '../../state/shared-state.js';
import { gitCredentialsFor } from '../open/git-credentials.js';
import { githubPayloads } from '../open/github-payload.js';
import { openGitHubAuthFor } from '../open/open-board.js';
import type { KnownClaim } from './attempt-logs.js';

/** The ledger's view of `issue`: null when no chain exists (never claimed). */
export async function ledgerLatestClaim(
  config: Config,
  store: SharedState,
  logger: Logger,
  issue: number,
): Promise<{ claim: KnownClaim | null } | null> {
  const clock = systemClock(config.clockOffsetMs);
  const { openGitHubBoard } = await import('../../boards/github/index.js');
  const { openLedgerTransport } = await import('../open/open-ledger.js');
  const auth = await openGitHubAuthFor(config, clock);
  const transport = await openLedgerTransport(config, {
    logger,
    credentials: gitCredentialsFor(config, auth?.app),
    readOnly: true,
  });
  const { ledger } = openGitHubBoard(config, store, {
    clock,
    logger,
    payloadFor: githubPayloads(config),
    ...(auth ? { auth } : {}),
    ...(transport.transport ? { ledgerTransport: transport.transport } : {}),
  });
  const chain = (await ledger.refresh()).tasks.get(issue);
  if (!chain) return null;
  // The holder is the owner of the tip's claim or of its final release: whoever ran the latest attempt.
  return {
    claim: chain.holder && chain.epoch !== null ? { ownerId: chain.holder, epoch: chain.epoch } : null,
  };
}
