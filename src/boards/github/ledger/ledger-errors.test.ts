import { RequestError } from '@octokit/request-error';
import { describe, expect, it } from 'vitest';
import { errorForStatus } from '../http/index.js';
import { classify } from './ledger-errors.js';

const request = { method: 'PATCH' as const, url: 'https://api.github.com/x', headers: {} };

function plain403(message: string, headers: Record<string, string>): RequestError {
  return new RequestError(message, 403, {
    request,
    response: { status: 403, url: request.url, headers, data: {} },
  });
}

describe('the ledger reads a rate limit with the client classification, never a copy of it', () => {
  it('a mapped rate-limit error is a limit, not a missing permission', () => {
    const limited = errorForStatus({
      method: 'PATCH',
      path: '/x',
      status: 403,
      message: 'API rate limit exceeded',
      response: { headers: { 'x-ratelimit-remaining': '0' }, data: {} },
    });
    expect(classify(limited)).toBe('other');
  });

  it('a plain 403 "secondary rate limit" without headers is a limit too (GitHub says so in words)', () => {
    expect(classify(plain403('You have exceeded a secondary rate limit', {}))).toBe('other');
  });

  it('a plain 403 without any limit signal is a missing permission', () => {
    expect(classify(plain403('Resource not accessible by integration', {}))).toBe('denied');
  });
});
