import { describe, expect, it } from 'vitest';
import { decideOutcome } from './attempt.js';

describe('decideOutcome', () => {
  it('records what the executor did when nobody stopped it', () => {
    expect(decideOutcome('complete', undefined, null, '')).toEqual({ outcome: 'complete' });
    expect(decideOutcome('failed', 'exit code 1', null, '')).toEqual({
      outcome: 'failed',
      error: 'exit code 1',
    });
  });

  it('abandons (no retry counted) an attempt stopped by shutdown or a human', () => {
    expect(decideOutcome('aborted', undefined, 'shutdown', 'SIGTERM received')).toEqual({
      outcome: 'abandoned',
      error: 'SIGTERM received',
    });
    expect(decideOutcome('failed', 'killed by SIGTERM', 'ignored', 'a human takes over')).toEqual({
      outcome: 'abandoned',
      error: 'ignored: a human takes over',
    });
  });

  it('keeps a completion that raced a shutdown', () => {
    expect(decideOutcome('complete', undefined, 'shutdown', 'stop')).toEqual({ outcome: 'complete' });
  });

  it('never accepts the result of a self-fenced attempt', () => {
    expect(decideOutcome('complete', undefined, 'self-fenced', 'no heartbeat for 9 s')).toEqual({
      outcome: 'abandoned',
      error: 'self-fenced: no heartbeat for 9 s',
    });
  });
});
