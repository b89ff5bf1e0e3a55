import { describe, expect, it } from 'vitest';
import { runDoctor } from './doctor.js';
import type { GitHubClient } from './http/index.js';
import type { RefLedger } from './ledger/index.js';

describe('doctor output', () => {
  it('never prints credentials a failing check quotes in a URL', async () => {
    const client = {
      rest: {
        users: { getAuthenticated: async () => ({ data: { login: 'alice' } }) },
        repos: {
          get: async () => {
            throw new Error('request to http://u:s3cretpw@ghe.example/api/v3/repos/acme/widgets failed');
          },
        },
      },
    } as unknown as GitHubClient;
    const checks = await runDoctor({
      client,
      ledger: {} as RefLedger,
      owner: 'acme',
      repo: 'widgets',
      now: () => 0,
    });
    expect(checks).toEqual([
      {
        name: 'identity',
        ok: true,
        detail: expect.stringMatching(/^token of alice/),
        info: { kind: 'token', login: 'alice' },
      },
      {
        name: 'token and repository',
        ok: false,
        detail: 'request to http://***@ghe.example/api/v3/repos/acme/widgets failed',
      },
    ]);
  });
});
