import type { Daemon } from '../../daemon/daemon.js';
import { duration } from './format.js';
import { terminalLine } from './terminal-safe.js';

/** One concise line per transition, for a person watching a terminal. */
export function attachReporter(
  daemon: Daemon,
  write: (line: string) => void,
  now: () => number = Date.now,
): void {
  const at = () => new Date(now()).toISOString().slice(11, 19);
  // Titles, errors and reasons come from issues and agents: never raw to the terminal.
  const line = (verb: string, text: string) => write(`${at()} ${verb.padEnd(9)} ${terminalLine(text)}\n`);
  const e = daemon.events;
  e.on('claimed', (c) =>
    line(
      'claimed',
      `${c.task.id} (attempt ${c.ticket.attempt}, epoch ${c.ticket.epoch}${c.tookOverFrom ? `, taken over from ${c.tookOverFrom}` : ''})`,
    ),
  );
  e.on('started', (c) =>
    line('started', `${c.task.id} ${c.task.title !== c.task.id ? `— ${c.task.title}` : ''}`.trimEnd()),
  );
  e.on('completed', (c, ms) => line('done', `${c.task.id} in ${duration(ms)}`));
  e.on('failed', (c, error, retryAt) =>
    line(
      'failed',
      `${c.task.id}: ${error}${retryAt ? ` — retry in ${duration(Math.max(0, retryAt - now()))}` : ''}`,
    ),
  );
  e.on('poisoned', (c, error) =>
    line('poisoned', `${c.task.id} after ${c.ticket.attempt} attempts: ${error}`),
  );
  e.on('abandoned', (c, reason) => line('released', `${c.task.id} (${reason})`));
  e.on('fenced', (c, reason) => line('fenced', `${c.task.id}: result discarded — ${reason}`));
  e.on('swept', (ids) => line('swept', `stale claims: ${ids.join(', ')}`));
  e.on('heartbeat-missed', (ms) => line('fenced', `no heartbeat for ${duration(ms)}: stopped my attempts`));
  e.on('stopping', (reason) => line('stopping', reason));
}
