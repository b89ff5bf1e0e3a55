import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../tests/support/temp-dir.js';
import { ConfigError } from '../core/errors.js';
import { loadConfig } from './config.js';

const tempDir = useTempDirs();
const pem = (type: 'rsa' | 'ec' = 'rsa') =>
  (type === 'rsa'
    ? generateKeyPairSync('rsa', { modulusLength: 2048 })
    : generateKeyPairSync('ec', { namedCurve: 'P-256' })
  ).privateKey
    .export({ type: 'pkcs8', format: 'pem' })
    .toString();
const KEY = pem();
const REPO = { GITHUB_REPOSITORY: 'acme/widgets', EXECUTOR: 'noop' };
const APP = { GITHUB_APP_ID: '4242', GITHUB_APP_PRIVATE_KEY: KEY, GITHUB_APP_INSTALLATION_ID: '777' };

function problems(env: Record<string, string>, cwd = '/work'): string[] {
  try {
    loadConfig(env, { cwd, host: 'ws1' });
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('GitHub App configuration', () => {
  it('takes the three settings instead of a token', () => {
    const config = loadConfig({ ...REPO, ...APP }, { cwd: '/work' });
    expect(config.github.token).toBeUndefined();
    expect(config.github.app).toEqual({ appId: '4242', privateKey: KEY.trim(), installationId: 777 });
  });

  it('reads a key pasted on one line with literal \\n, and a key file', () => {
    const oneLine = KEY.trim().replace(/\n/g, '\\n');
    const config = loadConfig({ ...REPO, ...APP, GITHUB_APP_PRIVATE_KEY: oneLine }, { cwd: '/work' });
    expect(config.github.app?.privateKey).toBe(KEY.trim());
    const dir = tempDir();
    writeFileSync(join(dir, 'app.pem'), KEY, { mode: 0o600 });
    const { GITHUB_APP_PRIVATE_KEY: _, ...withoutKey } = APP;
    const fromFile = loadConfig(
      { ...REPO, ...withoutKey, GITHUB_APP_PRIVATE_KEY_FILE: 'app.pem' },
      { cwd: dir },
    );
    expect(fromFile.github.app?.privateKey).toBe(KEY.trim());
  });

  it('names what a partial app setting lacks', () => {
    expect(problems({ ...REPO, GITHUB_APP_ID: '4242' })).toEqual([
      expect.stringMatching(
        /^GITHUB_APP_ID is set but GITHUB_APP_PRIVATE_KEY \(or GITHUB_APP_PRIVATE_KEY_FILE\) and GITHUB_APP_INSTALLATION_ID are not: .*set the missing ones, or remove the GITHUB_APP_\* settings to use GITHUB_TOKEN$/,
      ),
    ]);
    const { GITHUB_APP_INSTALLATION_ID: _, ...noInstallation } = APP;
    expect(problems({ ...REPO, ...noInstallation })).toEqual([
      expect.stringMatching(
        /^GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY are set but GITHUB_APP_INSTALLATION_ID is not/,
      ),
    ]);
  });

  it('refuses a token and an app at once, and a key given twice', () => {
    expect(problems({ ...REPO, ...APP, GITHUB_TOKEN: 't' })).toEqual([
      expect.stringMatching(
        /^GITHUB_TOKEN and a GitHub App \(GITHUB_APP_\*\) are both set: .*Remove GITHUB_TOKEN/,
      ),
    ]);
    expect(problems({ ...REPO, ...APP, GITHUB_APP_PRIVATE_KEY_FILE: 'k.pem' })).toEqual([
      expect.stringMatching(/^GITHUB_APP_PRIVATE_KEY and GITHUB_APP_PRIVATE_KEY_FILE are both set/),
    ]);
  });

  it('refuses a key that is no RSA private key, without repeating it', () => {
    const garbled = problems({ ...REPO, ...APP, GITHUB_APP_PRIVATE_KEY: 'not-a-key-s3cret' });
    expect(garbled).toEqual([expect.stringMatching(/^GITHUB_APP_PRIVATE_KEY is not a PEM private key/)]);
    expect(garbled.join()).not.toContain('s3cret');
    const ec = pem('ec');
    const found = problems({ ...REPO, ...APP, GITHUB_APP_PRIVATE_KEY: ec });
    expect(found).toEqual([expect.stringMatching(/^GITHUB_APP_PRIVATE_KEY is a ec key: .* is RSA/)]);
    expect(found.join()).not.toContain(ec.split('\n')[1]);
    const { GITHUB_APP_PRIVATE_KEY: _, ...withoutKey } = APP;
    expect(
      problems({ ...REPO, ...withoutKey, GITHUB_APP_PRIVATE_KEY_FILE: 'missing.pem' }, tempDir()),
    ).toEqual([
      expect.stringMatching(
        /^GITHUB_APP_PRIVATE_KEY_FILE="missing.pem" cannot be read \(ENOENT at .*missing\.pem\)/,
      ),
    ]);
  });

  it('a repository needs a token or an app; pushing with a token accepts the app’s', () => {
    expect(problems(REPO)).toEqual([
      expect.stringMatching(
        /needs a token \(set GITHUB_TOKEN, or log in with `gh auth login`.*\), or a GitHub App \(GITHUB_APP_ID/,
      ),
    ]);
    expect(problems({ ...REPO, ...APP, GIT_PUSH_WITH_TOKEN: 'true' })).toEqual([]);
  });

  it('keeps the key from agents', () => {
    expect(problems({ ...REPO, ...APP, EXECUTOR_ENV_PASSTHROUGH: 'GITHUB_APP_PRIVATE_KEY' })).toEqual([
      expect.stringMatching(
        /^EXECUTOR_ENV_PASSTHROUGH names GITHUB_APP_PRIVATE_KEY, the daemon's own GitHub credential/,
      ),
    ]);
  });
});
