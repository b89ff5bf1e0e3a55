import { describe, expect, it } from 'vitest';
import { TASK_ID_MAX_LENGTH, taskDirName, taskIdProblem } from './safe-path.js';

describe('taskIdProblem', () => {
  it('accepts the ids people write, refuses dot-paths, odd characters and long ids', () => {
    for (const id of ['build', 'smoke:noop-codex', 'write:1-gemini', 'a.b_c', '42', 'ws1/codex', 'x#1@y+z'])
      expect(taskIdProblem(id), id).toBeNull();
    expect(taskIdProblem('..')).toMatch(/"\.\." is not a valid task id: use letters, digits/);
    expect(taskIdProblem('.')).toMatch(/not a valid task id/);
    expect(taskIdProblem('-rf')).toMatch(/starting with a letter or a digit/);
    expect(taskIdProblem('a b')).toMatch(/not a valid task id/);
    expect(taskIdProblem('x'.repeat(TASK_ID_MAX_LENGTH))).toBeNull();
    expect(taskIdProblem('x'.repeat(300))).toBe('is 300 characters long; a task id has at most 200');
  });
});

describe('taskDirName', () => {
  it('maps any id to one path segment that is never . or .., never hidden, and bounded', () => {
    const ids = [
      '..',
      '.',
      '...',
      '.hidden',
      '../../etc',
      'a/b',
      'acme/widgets#12',
      '',
      'x'.repeat(300),
      '\uD800',
      '%2E',
      'é'.repeat(200),
    ];
    const names = ids.map(taskDirName);
    for (const name of names) {
      expect(name).not.toMatch(/^\./);
      expect(name).not.toContain('/');
      expect(name).not.toContain('\0');
      expect(Buffer.byteLength(name)).toBeLessThanOrEqual(120);
      expect(name.length).toBeGreaterThan(0);
    }
    expect(new Set(names).size).toBe(ids.length); // distinct ids, distinct directories
    expect(taskDirName('acme/widgets#12')).toBe('acme%2Fwidgets%2312');
    expect(taskDirName('build')).toBe('build');
    expect(taskDirName('..')).toBe('%2E%2E');
    expect(taskDirName('x'.repeat(300))).toBe(taskDirName('x'.repeat(300)));
    expect(taskDirName('x'.repeat(300))).not.toBe(taskDirName('x'.repeat(301)));
  });
});
