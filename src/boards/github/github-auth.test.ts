import { describe, expect, it } from 'vitest';
import { botLogin, trustedLogins } from './github-auth.js';

describe('trusted state-comment logins', () => {
  const app = {
    kind: 'app',
    appId: '1',
    installationId: 2,
    slug: 'codex-fleet',
    botLogin: botLogin('codex-fleet'),
  } as const;

  it("add the app's own bot to the configured logins", () => {
    expect(trustedLogins(['alice-bot'], app)).toEqual(['alice-bot', 'codex-fleet[bot]']);
    expect(trustedLogins(['Codex-Fleet[bot]'], app)).toEqual(['Codex-Fleet[bot]']); // once, any case
  });

  it('are the configured ones with a token', () => {
    expect(trustedLogins(['alice-bot'], { kind: 'token' })).toEqual(['alice-bot']);
    expect(trustedLogins([], undefined)).toEqual([]);
  });
});
