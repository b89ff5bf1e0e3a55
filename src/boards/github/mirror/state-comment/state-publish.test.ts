import { describe, expect, it } from 'vitest';
import { artifactIdOf, MAX_PUBLISHED_ERROR, publishedError, redactForPublication } from './state-publish.js';

describe('artifactIdOf', () => {
  it.each([
    ['/home/alice/.codex-monitor/artifacts/acme%2Fw%2312/4', 'acme%2Fw%2312/4'],
    ['C:\\Users\\alice\\.codex-monitor\\artifacts\\task-1\\2', 'task-1/2'],
    ['relative/artifacts/t/1/', 't/1'],
  ])('%s → %s', (path, id) => {
    expect(artifactIdOf(path)).toBe(id);
  });

  it('gives null without a path', () => {
    expect(artifactIdOf(null)).toBeNull();
    expect(artifactIdOf('x')).toBeNull();
  });
});

describe('redactForPublication', () => {
  it.each([
    [
      'a URL with credentials',
      'fetch https://user:pa55@example.com/x failed',
      'pa55',
      'https://***@example.com/x',
    ],
    ['a URL with a token as user', 'git clone https://ghp_abc@github.com/a/b', 'ghp_abc', '***@github.com'],
    ['a GitHub token', 'bad credentials ghp_0123456789abcdefghijABCDEFGHIJ', 'ghp_0123', '[redacted]'],
    ['a fine-grained token', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnop', 'github_pat_', '[redacted]'],
    ['an OpenAI key', 'OPENAI_API_KEY=sk-proj-abcdefghijklmnop0123', 'sk-proj', 'OPENAI_API_KEY=[redacted]'],
    [
      'an Authorization header',
      'Authorization: token abcdef0123456789',
      'abcdef0123456789',
      'Authorization:',
    ],
    ['a password variable', 'DB_PASSWORD=hunter2 rejected', 'hunter2', 'DB_PASSWORD=[redacted]'],
    ['a home directory', 'ENOENT: /home/alice/projects/x/.env', '/home/alice', '~/projects/x/.env'],
    ['a macOS home', 'open /Users/alice/x', '/Users/alice', '~/x'],
    ['a long opaque key', `key ${'a1B2'.repeat(10)} refused`, 'a1B2a1B2', 'key [redacted] refused'],
  ])('redacts %s', (_name, text, secret, shown) => {
    const out = redactForPublication(text);
    expect(out).not.toContain(secret);
    expect(out).toContain(shown);
  });

  it('replaces the given home directory, flattens control characters and caps the length', () => {
    const out = redactForPublication(
      `in /srv/alice-home/x\u001b[31m red\r\n${'e'.repeat(2_000)}`,
      '/srv/alice-home',
    );
    expect(out.startsWith('in ~/x [31m red e')).toBe(true);
    expect(out).toHaveLength(MAX_PUBLISHED_ERROR);
    expect(out.endsWith('…')).toBe(true);
  });

  it('publishes nothing unless opted in', () => {
    expect(publishedError('boom', {})).toBeNull();
    expect(publishedError('boom', { publishErrors: false })).toBeNull();
    expect(publishedError('boom', { publishErrors: true })).toBe('boom');
    expect(publishedError(null, { publishErrors: true })).toBeNull();
  });
});
