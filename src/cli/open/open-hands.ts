import { hostname, userInfo } from 'node:os';
import { LocalHands } from '../../boards/local/local-hands.js';
import { parseDuration } from '../../core/duration.js';
import { InputError } from '../../core/errors.js';
import type { HandClaims } from '../../daemon/hands.js';
import type { HandOwner } from '../../state/shared-state.js';
import type { CommandContext } from '../context.js';

export { clockTime } from '../../boards/local/local-hands.js';

/** Owner ids as CODEX_MONITOR_OWNER_ID accepts them (they name refs on GitHub). */
const OWNER_ID = /^[\w.:@/-]{1,200}$/;

/** The person claiming: `--owner`, or `<short hostname>/<os user>` (e.g. `ws3/alice`). */
export function handOwner(owner: string | undefined): HandOwner {
  const host = hostname();
  const id = owner ?? `${host.split('.')[0]}/${userInfo().username}`;
  if (!OWNER_ID.test(id)) {
    throw new InputError(
      `--owner ${JSON.stringify(id)} is not an owner id: use letters, digits and . _ : @ / - (at most 200), e.g. ws3/alice.`,
    );
  }
  return { id, host };
}

/** A `--ttl` value in ms: at least a second. */
export function leaseOf(ttl: string): number {
  const parsed = parseDuration(ttl, { bareSeconds: false });
  if ('problem' in parsed) throw new InputError(`--ttl: ${parsed.problem}`);
  if (parsed.ms < 1_000)
    throw new InputError(`--ttl ${JSON.stringify(ttl)} is too short: give at least 1s, e.g. 2h.`);
  return parsed.ms;
}

/**
 * The configured board's hand claims for `who`. The local board's live in the state database;
 * GitHub's go through the ledger (not built yet: see HANDOFF.md of branch h15-hands).
 */
export async function openHands(ctx: CommandContext, who: HandOwner): Promise<HandClaims> {
  if (ctx.config.github.repository !== undefined) {
    throw new InputError(
      'Hand claims (claim, hold, renew, release, next, mine) work on the local board only so far; ' +
        'unset GITHUB_REPOSITORY to use the local board.',
    );
  }
  return new LocalHands(ctx.store, who);
}
