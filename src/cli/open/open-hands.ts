import { hostname, userInfo } from 'node:os';
import { systemClock } from '../../core/clock.js';
import { parseDuration } from '../../core/duration.js';
import { InputError } from '../../core/errors.js';
import type { HandClaims } from '../../daemon/hands.js';
import type { HandOwner } from '../../state/shared-state.js';
import type { CommandContext } from '../context.js';
import { openBoard } from './open-board.js';

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
 * The configured board, opened for `who`'s hand claims (closed with the board: on GitHub that
 * flushes the mirror, so the state comment shows what was done before the command exits).
 */
export async function openHands(
  ctx: CommandContext,
  who: HandOwner,
): Promise<{ hands: HandClaims; close(): Promise<void> }> {
  const board = await openBoard(ctx.config, ctx.store, {
    clock: systemClock(ctx.config.clockOffsetMs),
    logger: ctx.logger,
  });
  return { hands: board.handsFor(who), close: () => board.close() };
}
