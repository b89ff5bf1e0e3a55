import { describe, expect, it } from 'vitest';
import type { DaemonActivity } from '../../daemon/activity.js';
import { renderRunFooter } from './run-footer.js';

const NOW = Date.UTC(2026, 10, 30, 4, 0, 0);
const activity = (over: Partial<DaemonActivity> = {}): DaemonActivity => ({
  running: [],
  slotsUsed: 0,
  maxParallel: 2,
  nextCycleAt: NOW + 4_600,
  stopping: false,
  ...over,
});

describe('renderRunFooter', () => {
  it('shows the slots in use, the next check and each running task with its elapsed time', () => {
    const text = renderRunFooter(
      activity({
        slotsUsed: 1,
        running: [
          { taskId: 'build', title: 'Build it', attempt: 2, since: NOW - 75_400, recovery: false },
          { taskId: 'lost', title: 'lost', attempt: 1, since: NOW - 900, recovery: true },
        ],
      }),
      NOW,
    );
    expect(text.split('\n')).toEqual([
      '── 1/2 slots in use · next check in 4s',
      '   build  1m15s  attempt 2 — Build it',
      '   lost  0s  attempt 1 (recovery slot)',
    ]);
  });

  it('says when the loop is busy with the board, and when it is stopping', () => {
    expect(renderRunFooter(activity({ nextCycleAt: null }), NOW)).toBe(
      '── 0/2 slots in use · checking the board',
    );
    const stopping = activity({
      stopping: true,
      running: [{ taskId: 'a', title: 'a', attempt: 1, since: NOW, recovery: false }],
    });
    expect(renderRunFooter(stopping, NOW)).toMatch(
      /^── 0\/2 slots in use · stopping: waiting for 1 task to stop\n/,
    );
  });

  it('keeps escape sequences and line breaks of an untrusted title and id off the terminal', () => {
    const text = renderRunFooter(
      activity({
        running: [
          {
            taskId: 'x\u001b[2Jy',
            title: 'evil\u001b]0;owned\u0007\ntitle',
            attempt: 1,
            since: NOW,
            recovery: false,
          },
        ],
      }),
      NOW,
    );
    expect(text).not.toContain('\u001b');
    expect(text.split('\n')[1]).toBe('   xy  0s  attempt 1 — evil title');
  });
});
