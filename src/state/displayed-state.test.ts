import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { DISPLAYED_STATES, displayedStates, parseDisplayedState } from './displayed-state.js';

describe('displayed state', () => {
  const tasks = [
    { id: 'done', state: 'done' as const, deps: [] },
    { id: 'poisoned', state: 'poisoned' as const, deps: [] },
    { id: 'free', state: 'ready' as const, deps: ['done'] },
    { id: 'behind-poison', state: 'ready' as const, deps: ['done', 'poisoned'] },
    { id: 'behind-missing', state: 'ready' as const, deps: ['nowhere'] },
    { id: 'retry-behind', state: 'failed' as const, deps: ['free'] },
    { id: 'running', state: 'claimed' as const, deps: ['free'] },
  ];
  const shown = displayedStates(tasks);
  const of = (id: string) => shown(tasks.find((t) => t.id === id)!);

  it('is blocked for a ready or failed task with a dependency not done (missing included), else the stored state', () => {
    expect(of('free')).toEqual({ state: 'ready', waitingOn: [] });
    expect(of('behind-poison')).toEqual({ state: 'blocked', waitingOn: ['poisoned'] });
    expect(of('behind-missing')).toEqual({ state: 'blocked', waitingOn: ['nowhere'] });
    expect(of('retry-behind')).toEqual({ state: 'blocked', waitingOn: ['free'] });
    // A claimed task runs whatever its deps say now (one was reset after the claim): not blocked.
    expect(of('running')).toEqual({ state: 'claimed', waitingOn: [] });
  });

  it('parses --state values, naming every allowed one when wrong', () => {
    expect(DISPLAYED_STATES).toEqual(['ready', 'blocked', 'claimed', 'done', 'failed', 'poisoned']);
    expect(parseDisplayedState('blocked')).toBe('blocked');
    expect(() => parseDisplayedState('stuck')).toThrow(InputError);
    expect(() => parseDisplayedState('stuck')).toThrow(
      '--state "stuck" is not one of ready, blocked, claimed, done, failed, poisoned',
    );
  });
});
