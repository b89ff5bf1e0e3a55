/**
 * Hand claims (`claim`, `hold`, `renew`, `release`, `next`, `mine`) are not offered on the Jira board
 * yet: every command says so, naming what to use instead. The ledger already supports them
 * (RefLedger.claimByHand …, as GitHubHands uses it): wiring them here is future work.
 */
import { InputError } from '../../core/errors.js';
import type { HandClaim, HandClaims, HandResult } from '../../daemon/hands.js';

export class JiraHands implements HandClaims {
  constructor(readonly owner: string) {}

  private refuse(): never {
    throw new InputError(
      'hand claims (claim, hold, renew, release, next) are not supported on the Jira board yet: ' +
        'assign the issue in Jira and label it with JIRA_LABEL_IGNORE to keep the fleet off it.',
    );
  }

  async claim(): Promise<HandResult> {
    return this.refuse();
  }
  async held(): Promise<HandClaim> {
    return this.refuse();
  }
  async beat(): Promise<HandClaim> {
    return this.refuse();
  }
  async renew(): Promise<HandResult> {
    return this.refuse();
  }
  async release(): Promise<HandResult> {
    return this.refuse();
  }
  async next(): Promise<HandResult> {
    return this.refuse();
  }
  /** Nothing is held by hand on this board. */
  async mine(): Promise<HandClaim[]> {
    return [];
  }
  async close(): Promise<void> {}
}
