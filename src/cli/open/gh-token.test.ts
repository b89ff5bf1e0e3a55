import { describe, expect, it } from 'vitest';
import { ghAuthToken } from './gh-token.js';

describe('ghAuthToken', () => {
  it('asks gh for the token of github.com, or of an Enterprise host', () => {
    const calls: (readonly string[])[] = [];
    const run = (argv: readonly string[]) => {
      calls.push(argv);
      return 'gho_abc123\n';
    };
    expect(ghAuthToken(undefined, run)).toBe('gho_abc123');
    expect(ghAuthToken('https://api.github.com', run)).toBe('gho_abc123');
    expect(ghAuthToken('https://ghe.example.com/api/v3', run)).toBe('gho_abc123');
    expect(calls).toEqual([
      ['auth', 'token'],
      ['auth', 'token'],
      ['auth', 'token', '--hostname', 'ghe.example.com'],
    ]);
  });

  it('gives no token when gh fails, is absent, or prints something else', () => {
    const absent = Object.assign(new Error('spawn gh ENOENT'), { code: 'ENOENT' });
    expect(
      ghAuthToken(undefined, () => {
        throw absent;
      }),
    ).toBeUndefined();
    expect(ghAuthToken(undefined, () => '')).toBeUndefined();
    expect(ghAuthToken(undefined, () => 'Welcome to gh! Log in first\n')).toBeUndefined();
  });

  it('finds no gh on an empty PATH (the real spawn)', () => {
    const saved = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      expect(ghAuthToken(undefined)).toBeUndefined();
    } finally {
      process.env.PATH = saved;
    }
  });
});
