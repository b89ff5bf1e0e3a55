import type { Daemon } from '../../daemon/daemon.js';
import { type Colours, colours as makeColours } from './colour.js';
import { duration } from './format.js';
import { terminalLine } from './terminal-safe.js';

/**
 * One concise line per transition, for a person watching a terminal; the verb in the colour of
 * the state it reports (coloursFor(process.stdout) on a terminal, plain by default).
 */
export function attachReporter(
  daemon: Daemon,
  write: (line: string) => void,
  now: () => number = Date.now,
  colours: Colours = makeColours(false),
): void {
  const at = () => new Date(now()).toISOString().slice(11, 19);
  const paint: Record<string, (verb: string) => string> = {
    claimed: (v) => colours.state('claimed', v),
    started: (v) => colours.state('running', v),
    done: (v) => colours.state('done', v),
    failed: (v) => colours.state('failed', v),
    poisoned: (v) => colours.state('poisoned', v),
    fenced: colours.fail,
    swept: colours.warn,
  };
  // Titles, errors and reasons come from issues and agents: never raw to the terminal.
  // The verb is padded before it is painted: escape codes have no width.
  const line = (verb: string, text: string) =>
    write(`${colours.dim(at())} ${(paint[verb] ?? colours.dim)(verb.padEnd(9))} ${terminalLine(text)}\n`);
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
