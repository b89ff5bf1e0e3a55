import { describe, expect, it } from 'vitest';
import { redactUrl } from './redact.js';

describe('redactUrl', () => {
  it('hides user names, passwords and secret parameters, in a URL or in a text', () => {
    expect(redactUrl('http://u:pw@127.0.0.1:9999/api')).toBe('http://***@127.0.0.1:9999/api');
    expect(redactUrl('https://x-access-token:ghs_abc@github.example/o/r.git')).toBe(
      'https://***@github.example/o/r.git',
    );
    expect(redactUrl('fetch http://bob@host/a?x=1&access_token=s3cret#f failed')).toBe(
      'fetch http://***@host/a?x=1&access_token=***#f failed',
    );
    expect(redactUrl('GET https://api.github.com/repos/o/r?page=2 and a@b.c')).toBe(
      'GET https://api.github.com/repos/o/r?page=2 and a@b.c',
    );
  });

  it('hides PEM private keys, whole, cut short or on one line', () => {
    const key = '-----BEGIN RSA PRIVATE KEY-----\nMIIEs3cret\nabc\n-----END RSA PRIVATE KEY-----';
    expect(redactUrl(`key: ${key} (bad)`)).toBe('key: [redacted RSA private key] (bad)');
    expect(redactUrl(key.replace(/\n/g, '\\n'))).toBe('[redacted RSA private key]');
    expect(redactUrl('-----BEGIN PRIVATE KEY-----\nMIIEs3cret')).toBe('[redacted private key]');
  });
});
