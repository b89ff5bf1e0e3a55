/**
 * A request stopped by its AbortSignal (the daemon stopping) fails once, at once: it is not
 * retried as a lost connection. Real HTTP: a local server that holds the request unanswered.
 */
import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../core/logger.js';
import { MemoryKeyValueStore } from '../../../state/kv-store.js';
import { createGitHubClient } from './client.js';

const held: ServerResponse[] = [];
/** true: every request is answered 502 at once (an outage); false: held unanswered. */
let failing = false;
const server = createServer((_req, res) => {
  if (failing) {
    res.writeHead(502, { 'content-type': 'application/json' }).end('{"message":"Bad Gateway"}');
    return;
  }
  held.push(res);
});
afterEach(async () => {
  failing = false;
  vi.restoreAllMocks();
  for (const res of held.splice(0)) res.destroy();
  server.closeAllConnections();
  if (server.listening) await new Promise((resolve) => server.close(resolve));
});

async function clientOnServer(stopRetries?: AbortSignal) {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return createGitHubClient({
    baseUrl: `http://127.0.0.1:${port}`,
    token: 'test-token',
    etags: new MemoryKeyValueStore(),
    logger: silentLogger(),
    pacing: false,
    waitUnitMs: 1,
    ...(stopRetries ? { stopRetries } : {}),
  });
}

describe('a request stopped by its signal', () => {
  it('fails with the reason, after one try: no retry of an aborted request', async () => {
    const client = await clientOnServer();
    const fetches = vi.spyOn(globalThis, 'fetch');
    const stop = new AbortController();
    const arrived = once(server, 'request');
    const listing = client.request('GET /repos/{owner}/{repo}/issues', {
      owner: 'acme',
      repo: 'widgets',
      request: { signal: stop.signal },
    });
    await arrived;
    stop.abort(new Error('stop requested'));
    await expect(listing).rejects.toThrow(/stop requested/);
    expect(fetches).toHaveBeenCalledTimes(1);
    expect(held).toHaveLength(1);
  });

  it('once the daemon stops, a failed request is not retried, even one without a signal', async () => {
    failing = true;
    const stopping = new AbortController();
    const client = await clientOnServer(stopping.signal);
    const fetches = vi.spyOn(globalThis, 'fetch');
    const read = () => client.request('GET /repos/{owner}/{repo}/issues', { owner: 'acme', repo: 'widgets' });
    await expect(read()).rejects.toMatchObject({ status: 502 });
    expect(fetches).toHaveBeenCalledTimes(4); // running: three retries
    fetches.mockClear();
    stopping.abort();
    await expect(read()).rejects.toMatchObject({ status: 502 });
    expect(fetches).toHaveBeenCalledTimes(1);
  });
});
