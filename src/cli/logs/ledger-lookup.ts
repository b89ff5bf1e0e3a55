/**
 * Who ran an issue's latest attempt, from the claim ledger (one refresh): on GitHub another
 * workstation may have run it, and its log is there, not here.
 */
import type { Config } from '../../config/config.js';
import { systemClock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { SharedState } from '../../state/shared-state.js';
import { openGitHubReader } from '../open/open-reader.js';
import type { KnownClaim } from './attempt-logs.js';

/** The ledger's view of `issue`: null when no chain exists (never claimed). */
export async function ledgerLatestClaim(
  config: Config,
  store: SharedState,
  logger: Logger,
  issue: number,
): Promise<{ claim: KnownClaim | null } | null> {
  const clock = systemClock(config.clockOffsetMs);
  const { RefLedger } = await import('../../boards/github/ledger/index.js');
  const { transport } = await openGitHubReader(config, store, { clock, logger, purpose: 'logs on GitHub' });
  const ledger = new RefLedger({ transport, clock, staleThresholdMs: config.sharedState.staleThresholdMs });
  const chain = (await ledger.refresh()).tasks.get(issue);
  if (!chain) return null;
  // The holder is the owner of the tip's claim or of its final release: whoever ran the latest attempt.
  return {
    claim: chain.holder && chain.epoch !== null ? { ownerId: chain.holder, epoch: chain.epoch } : null,
  };
}
