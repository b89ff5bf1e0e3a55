import { describe, expect, it } from 'vitest';
import type { FleetView } from '../../boards/github/fleet/index.js';
import type { ActiveClaim } from '../../daemon/board.js';
import type { Daemon } from '../../daemon/daemon.js';
import { Lifecycle } from '../../daemon/lifecycle.js';
import { renderFleetText } from './fleet-render.js';
import { attachReporter } from './reporter.js';
import { terminalLine, terminalText } from './terminal-safe.js';

const ESC = '\u001b';
/** What a hostile title might carry: clear screen, window title, hyperlink, 8-bit CSI, bidi, DEL. */
const HOSTILE =
  `Fix ${ESC}[2J${ESC}[H${ESC}]0;pwned\u0007${ESC}]8;;https://evil.example${ESC}\\link${ESC}]8;;${ESC}\\` +
  ` \u009b31mred\u009b0m \u202eevil\u202c\u007f\r\bdone`;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const ANY_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('terminal-safe text', () => {
  it('removes escape sequences (7- and 8-bit), C0/C1 controls, DEL and bidi overrides', () => {
    expect(terminalLine(HOSTILE)).toBe('Fix link red evildone');
    expect(terminalLine(HOSTILE)).not.toMatch(ANY_CONTROL);
  });

  it('keeps ordinary text, and newlines and tabs where text may span lines', () => {
    const plain = 'Réparer le café ☕ — 修复 #12: "quotes" & <tags>';
    expect(terminalLine(plain)).toBe(plain);
    expect(terminalText('a\n\tb\r\nc')).toBe('a\n\tb\nc');
    expect(terminalLine('a\n\tb\r\nc')).toBe('a b c');
    expect(terminalText(`unterminated ${ESC}]0;title to the end`)).toBe('unterminated ');
    expect(terminalText(`lone ${ESC}`)).toBe('lone ');
  });

  it('is applied to GitHub status titles and the reporter’s lines', () => {
    const zero = ['live', 'stale', 'held', 'blocked', 'backingOff', 'poisoned', 'done', 'ignored', 'skipped'];
    const summary = { ...Object.fromEntries(zero.map((k) => [k, 0])), owners: 1, unknown: 1, queued: 1 };
    const text = renderFleetText({
      board: 'github',
      repository: 'acme/widgets',
      generatedAt: '2026-01-01T00:00:00.000Z',
      ledger: { transport: 'rest', where: 'acme/widgets' },
      staleThresholdMs: 3000,
      owners: [
        {
          id: `ws${ESC}[2J1`,
          heartbeat: { bound: 'first-look', ageMs: 0, firstSeen: '2026-01-01T00:00:00.000Z' },
          claimedAt: HOSTILE,
          running: [7],
          liveness: 'unknown',
        },
      ],
      queue: [{ issue: 7, title: HOSTILE, priority: 0, recover: false }],
      ...{ held: [], blocked: [], backingOff: [], poisoned: [], done: [], ignored: [], skipped: [] },
      cycles: [],
      problems: [],
      summary: summary as FleetView['summary'],
    });
    expect(text).toMatch(/#7\s+claimable\s+0\s+Fix link red evildone/);
    expect(text).toMatch(/ws1\s+≥0s \(first look\)\s+Fix link red evildone\s+#7/);
    expect(text.replace(/\n/g, '')).not.toMatch(ANY_CONTROL);

    const events = new Lifecycle();
    const lines: string[] = [];
    attachReporter(
      { events } as Daemon,
      (l) => lines.push(l),
      () => 0,
    );
    const claim: ActiveClaim = {
      task: { id: 'acme/widgets#7', title: HOSTILE, agent: null, payload: { kind: 'noop' } },
      ticket: { taskId: 'acme/widgets#7', ownerId: 'ws1', epoch: 1, attempt: 1, claimedAt: 0 },
      tookOverFrom: null,
    };
    events.emit('started', claim);
    events.emit('failed', claim, `exit 1: ${HOSTILE}`, null);
    expect(lines).toEqual([
      '00:00:00 started   acme/widgets#7 — Fix link red evildone\n',
      '00:00:00 failed    acme/widgets#7: exit 1: Fix link red evildone\n',
    ]);
  });
});
