import type { Clock } from '../../core/clock.js';
import { errorMessage } from '../../core/errors.js';
import { redactUrl } from '../../core/redact.js';
import type { Lifecycle } from '../../daemon/lifecycle.js';
import type { Health } from '../../serve/server.js';

/**
 * `/healthz` of `run --serve`, from the daemon's own events: healthy while its last completed
 * heartbeat is within the renew deadline (past it the daemon fences itself) and its last cycle
 * read the board. Nothing is polled: two timestamps kept up to date.
 */
export function daemonHealth(
  events: Lifecycle,
  clock: Clock,
  renewDeadlineMs: number,
): () => Promise<Health> {
  let lastBeat = clock.monotonic(); // the heartbeat loop counts from its start too
  let cycle: { ok: true } | { ok: false; reason: string } | null = null;
  events.on('heartbeat', () => {
    lastBeat = clock.monotonic();
  });
  events.on('refreshed', () => {
    cycle = { ok: true };
  });
  events.on('warning', (message, error) => {
    if (message === 'cycle failed')
      cycle = {
        ok: false,
        reason: `the last cycle could not read the board: ${redactUrl(errorMessage(error))}`,
      };
  });
  return async () => {
    const silentMs = clock.monotonic() - lastBeat;
    if (silentMs > renewDeadlineMs) {
      return {
        ok: false,
        reason: `no heartbeat for ${Math.round(silentMs)} ms (renew deadline ${renewDeadlineMs} ms)`,
      };
    }
    if (cycle === null) return { ok: false, reason: 'starting: no cycle has read the board yet' };
    return cycle.ok
      ? { ok: true, detail: `heartbeat ${Math.round(silentMs)} ms ago; the board answered at the last cycle` }
      : cycle;
  };
}
