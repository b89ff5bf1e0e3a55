import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import { loadConfig } from './config.js';

/** The problems loadConfig reports for `env` (none: an empty list). */
const problems = (env: Record<string, string>): string[] =>
  problemsOf(() => loadConfig(env, { cwd: '/work' }));

function problemsOf(load: () => unknown): string[] {
  try {
    load();
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return [...error.problems];
  }
}

describe('notify configuration', () => {
  it('is off by default, with poisoned, fenced and daemon-error chosen', () => {
    expect(loadConfig({}, { cwd: '/work' }).notify).toEqual({
      webhookUrls: [],
      events: ['poisoned', 'fenced', 'daemon-error'],
      telegram: undefined,
    });
  });

  it('reads several webhooks separated by commas or spaces, and the events', () => {
    const config = loadConfig(
      {
        NOTIFY_WEBHOOK_URL: 'https://a.example/hook, http://u:p@b.example/x  https://c.example/y',
        NOTIFY_ON: 'done, PR-opened rate-limited',
        NOTIFY_TELEGRAM_TOKEN: '123:abc',
        NOTIFY_TELEGRAM_CHAT: '-100',
        NOTIFY_TELEGRAM_API_URL: 'http://127.0.0.1:9/',
      },
      { cwd: '/work' },
    );
    expect(config.notify).toEqual({
      webhookUrls: ['https://a.example/hook', 'http://u:p@b.example/x', 'https://c.example/y'],
      events: ['done', 'pr-opened', 'rate-limited'],
      telegram: { token: '123:abc', chat: '-100', apiUrl: 'http://127.0.0.1:9' },
    });
  });

  it('names a bad webhook by its host only, never its secret path', () => {
    const found = problems({ NOTIFY_WEBHOOK_URL: 'https://ok.example/a ftp://hooks.example/T0/SECRETPATH' });
    expect(found).toEqual([
      expect.stringMatching(/^NOTIFY_WEBHOOK_URL: item 2 \(ftp:\/\/hooks\.example\/…\)/),
    ]);
    expect(found.join()).not.toContain('SECRETPATH');
    expect(problems({ NOTIFY_WEBHOOK_URL: 'not-a-url' })).toEqual([
      expect.stringContaining('item 1 (a value that is not a URL)'),
    ]);
  });

  it('refuses an unknown event, half a Telegram target, and a notification secret passed to agents', () => {
    expect(problems({ NOTIFY_ON: 'poisoned,exploded' })).toEqual([
      expect.stringMatching(/^NOTIFY_ON=.*expected a list/),
    ]);
    expect(problems({ NOTIFY_TELEGRAM_TOKEN: '123:abc' })).toEqual([
      expect.stringContaining('NOTIFY_TELEGRAM_TOKEN is set without a chat'),
    ]);
    expect(problems({ EXECUTOR_ENV_PASSTHROUGH: 'NOTIFY_TELEGRAM_TOKEN' })).toEqual([
      expect.stringContaining("the daemon's own notification secret"),
    ]);
  });
});
