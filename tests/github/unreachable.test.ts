import { describe, expect, it } from 'vitest';
import {
  createGitHubClient,
  GitHubUnavailableError,
  GitHubUnreachableError,
} from '../../src/boards/github/http/index.js';
import { silentLogger } from '../../src/core/logger.js';
import { MemoryKeyValueStore } from '../../src/state/kv-store.js';
import { closedPort } from '../support/ports.js';

function client(baseUrl: string) {
  return createGitHubClient({
    baseUrl,
    token: 'test-token',
    etags: new MemoryKeyValueStore(),
    logger: silentLogger(),
    pacing: false,
    waitUnitMs: 1,
    serverRetries: 0,
  });
}

describe('GitHub that cannot be reached', () => {
  it('reports a refused connection as such, not as "answered 500"', async () => {
    const port = await closedPort();
    const error = await client(`http://127.0.0.1:${port}`)
      .rest.repos.get({ owner: 'acme', repo: 'widgets' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubUnreachableError);
    expect(error).toBeInstanceOf(GitHubUnavailableError); // still uncertain for a write, still retried
    expect(error).toMatchObject({ code: 'GITHUB_UNAVAILABLE', network: 'ECONNREFUSED' });
    expect((error as Error).message).toBe(
      `GitHub could not be reached at http://127.0.0.1:${port} for GET /repos/{owner}/{repo} ` +
        '(ECONNREFUSED: connection refused: nothing listens there); it will be retried. Check GITHUB_API_URL and the network.',
    );
  });

  it('reports a host that does not resolve', async () => {
    const error = await client('http://codex-monitor-no-such-host.invalid')
      .rest.repos.get({ owner: 'acme', repo: 'widgets' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubUnreachableError);
    expect((error as GitHubUnreachableError).network).toMatch(/^(ENOTFOUND|EAI_AGAIN)$/);
    expect((error as Error).message).toMatch(/host name not found|DNS lookup failed/);
  });

  it('never repeats credentials of the URL in its message', async () => {
    const port = await closedPort();
    const error = await client(`http://u:s3cretpw@127.0.0.1:${port}`)
      .rest.repos.get({ owner: 'acme', repo: 'widgets' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubUnreachableError);
    expect((error as Error).message).toContain(`http://***@127.0.0.1:${port}`);
    expect((error as Error).message).not.toContain('s3cretpw');
  });
});
