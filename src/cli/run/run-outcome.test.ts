import { describe, expect, it } from 'vitest';
import { exitFor } from './run-outcome.js';

describe('the exit code of a run that ended by itself', () => {
  it('is 0 when nothing was poisoned or lost', () => {
    expect(exitFor({ poisoned: [], fenced: [] })).toEqual({ code: 0, message: null });
  });

  it('is 1 with poisoned work, or with a result discarded because the claim was lost', () => {
    expect(exitFor({ poisoned: ['always-fails'], fenced: [] })).toEqual({
      code: 1,
      message:
        'codex-monitor: the run ended with 1 poisoned task (always-fails; `codex-monitor retry <task>` re-enables one); exit code 1',
    });
    expect(exitFor({ poisoned: [], fenced: ['a', 'b'] })).toEqual({
      code: 1,
      message:
        'codex-monitor: the run ended with 2 results discarded because the claim was lost (a, b); exit code 1',
    });
  });
});
