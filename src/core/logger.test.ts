import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const script = `
import { createLogger } from './src/core/logger.ts';
const logger = createLogger('info', { pretty: false });
const err = new Error('request to http://u:pw-in-error@127.0.0.1:9/repos failed');
logger.warn({ url: 'http://u:pw-in-field@127.0.0.1:9/api', nested: { list: ['https://x:pw-in-list@h/'] }, token: 'ghp_token', app: { privateKey: 'pk-s3cret' }, note: 'key -----BEGIN RSA PRIVATE KEY-----\\nMIIE-pem-s3cret\\n-----END RSA PRIVATE KEY-----', err }, 'calling http://u:pw-in-message@127.0.0.1:9');
`;

describe('the logger', () => {
  it('never writes credentials found in URLs, nor tokens', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    const line = JSON.parse(run.stderr.trim()) as Record<string, unknown>;
    expect(run.stderr).not.toMatch(/pw-in-|ghp_token|s3cret/);
    expect(line).toMatchObject({
      msg: 'calling http://***@127.0.0.1:9',
      url: 'http://***@127.0.0.1:9/api',
      nested: { list: ['https://***@h/'] },
      token: '[redacted]',
      app: { privateKey: '[redacted]' },
      note: 'key [redacted RSA private key]',
      err: { message: 'request to http://***@127.0.0.1:9/repos failed' },
    });
  });
});
