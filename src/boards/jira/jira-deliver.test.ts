import { describe, expect, it } from 'vitest';
import { pullTitle } from './jira-deliver.js';

describe('pullTitle', () => {
  it('is `<KEY>: <summary>` on one line, at most 256 characters', () => {
    expect(pullTitle('OPS-12', 'Fix the login timeout')).toBe('OPS-12: Fix the login timeout');
    expect(pullTitle('OPS-1', 'two\nlines\u0007 and\ttabs')).toBe('OPS-1: two lines and tabs');
    expect([...pullTitle('OPS-2', '€'.repeat(300))]).toHaveLength(256);
  });
});
