import { describe, expect, it } from 'vitest';
import type { ActiveClaim } from '../../daemon/board.js';
import type { Daemon } from '../../daemon/daemon.js';
import { Lifecycle } from '../../daemon/lifecycle.js';
import { type Colours, colours } from './colour.js';
import { attachReporter } from './reporter.js';

const claim = (id: string, attempt = 1, tookOverFrom: string | null = null): ActiveClaim => ({
  task: { id, title: `Title of ${id}`, agent: null, payload: { kind: 'noop' } },
  ticket: { taskId: id, ownerId: 'ws1', epoch: attempt + 2, attempt, claimedAt: 0 },
  tookOverFrom,
});

/** A reporter on a lifecycle the test drives, and the lines it wrote. */
function reporter(now: number, paint?: Colours) {
  const events = new Lifecycle();
  const lines: string[] = [];
  attachReporter(
    { events } as Daemon,
    (l) => lines.push(l),
    () => now,
    paint,
  );
  return { events, lines };
}

describe('the terminal reporter', () => {
  it('prints one concise line per transition', () => {
    const now = Date.UTC(2026, 10, 21, 8, 30, 0);
    const { events, lines } = reporter(now);
    events.emit('claimed', claim('build', 1, 'ws9'));
    events.emit('started', claim('build'));
    events.emit('completed', claim('build'), 2500);
    events.emit('failed', claim('flaky', 2), 'exit code 1', now + 4000);
    events.emit('poisoned', claim('broken', 3), 'exit code 3');
    events.emit('abandoned', claim('slow'), 'ignored: a human takes over');
    events.emit('fenced', claim('old'), 'taken over by ws2');
    expect(lines).toEqual([
      '08:30:00 claimed   build (attempt 1, epoch 3, taken over from ws9)\n',
      '08:30:00 started   build — Title of build\n',
      '08:30:00 done      build in 2.5s\n',
      '08:30:00 failed    flaky: exit code 1 — retry in 4.0s\n',
      '08:30:00 poisoned  broken after 3 attempts: exit code 3\n',
      '08:30:00 released  slow (ignored: a human takes over)\n',
      '08:30:00 fenced    old: result discarded — taken over by ws2\n',
    ]);
  });

  it("paints the verb in its state's colour, keeping the columns", () => {
    const { events, lines } = reporter(0, colours(true));
    events.emit('completed', claim('build'), 1000);
    events.emit('poisoned', claim('broken', 3), 'exit code 3');
    expect(lines).toEqual([
      '\u001b[2m00:00:00\u001b[22m \u001b[32mdone     \u001b[39m build in 1.0s\n',
      '\u001b[2m00:00:00\u001b[22m \u001b[31mpoisoned \u001b[39m broken after 3 attempts: exit code 3\n',
    ]);
  });
});
