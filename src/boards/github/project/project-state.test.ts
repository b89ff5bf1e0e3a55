import { describe, expect, it } from 'vitest';
import { projectStateOf } from './project-state.js';

describe('which column a mirror target means', () => {
  it('claimed/working → claimed, done with a PR → review, done or verified → done, failed → poisoned', () => {
    expect(projectStateOf('claimed', null)).toBe('claimed');
    expect(projectStateOf('working', null)).toBe('claimed');
    expect(projectStateOf('done', 7)).toBe('review');
    expect(projectStateOf('done', null)).toBe('done');
    expect(projectStateOf('verified', 7)).toBe('done');
    expect(projectStateOf('failed', null)).toBe('poisoned');
    expect(projectStateOf(null, null)).toBeNull();
    expect(projectStateOf('stale', null)).toBeNull();
  });
});
