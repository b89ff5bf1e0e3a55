import { describe, expect, it } from 'vitest';
import { targetStatus } from './jira-status.js';

const statuses = { working: 'In Progress', review: 'In Review', done: 'Done' };

describe('targetStatus', () => {
  it('a completed attempt with a pull request goes to review, without one to done', () => {
    expect(targetStatus(statuses, 'done', true)).toBe('In Review');
    expect(targetStatus(statuses, 'done', false)).toBe('Done');
  });

  it('claimed (by a daemon or by hand) goes to working; failed, poisoned and released stay', () => {
    expect(targetStatus(statuses, 'working', false)).toBe('In Progress');
    expect(targetStatus(statuses, 'claimed', false)).toBe('In Progress');
    for (const state of ['failed', 'poisoned', 'released'] as const) {
      expect(targetStatus(statuses, state, true)).toBe('');
    }
  });

  it('"-" for review sends a pull request\'s issue to done; "-" for done leaves it where it is', () => {
    expect(targetStatus({ ...statuses, review: '' }, 'done', true)).toBe('Done');
    expect(targetStatus({ ...statuses, done: '' }, 'done', false)).toBe('');
    expect(targetStatus({ ...statuses, done: '' }, 'done', true)).toBe('In Review');
    expect(targetStatus({ working: '', review: '', done: '' }, 'done', true)).toBe('');
  });
});
