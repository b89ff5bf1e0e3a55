import { afterEach, describe, expect, it } from 'vitest';
import { sseReader } from '../../tests/support/serve-process.js';
import { type RunningServer, type ServeSources, startServer } from './server.js';

const servers: RunningServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

/** Sources of a board with nothing on it; the test changes `cursor` to say the board changed. */
function emptyBoard(metrics?: () => Promise<{ contentType: string; body: string }>) {
  const state = { cursor: 'a' };
  const sources: ServeSources = {
    status: async () => ({ cursor: state.cursor }),
    queue: () => [],
    task: async () => null,
    cursor: () => state.cursor,
    health: async () => ({ ok: false, reason: 'the board was unreachable at the last cycle' }),
    steer: async () => {
      throw new Error('no steering in this test');
    },
  };
  return {
    state,
    options: {
      host: '127.0.0.1',
      port: 0,
      token: undefined,
      allowActions: false,
      sources,
      pollMs: 20,
      keepAliveMs: 20,
      ...(metrics ? { routes: { metrics } } : {}),
    },
  };
}

async function readUntil(
  body: ReadableStream<Uint8Array>,
  predicate: (text: string) => boolean,
): Promise<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!predicate(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel();
  return text;
}

describe('the HTTP server', () => {
  it('answers 503 with the reason when unhealthy, and mounts /metrics when given', async () => {
    const server = await startServer(
      emptyBoard(async () => ({ contentType: 'text/plain; version=0.0.4', body: 'up 1\n' })).options,
    );
    servers.push(server);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ ok: false, reason: 'the board was unreachable at the last cycle' });
    const metrics = await fetch(`${server.url}/metrics`);
    expect(metrics.headers.get('content-type')).toBe('text/plain; version=0.0.4');
    expect(await metrics.text()).toBe('up 1\n');
  });

  it('has no /metrics unless mounted, and sends heartbeat comments and a status event per change', async () => {
    const board = emptyBoard();
    const server = await startServer(board.options);
    servers.push(server);
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    const response = await fetch(`${server.url}/events/stream`);
    if (!response.body) throw new Error('no body');
    const sse = sseReader(response.body);
    // Subscribed once the first comment arrived: only then does a change count as one.
    await sse.until((text) => text.includes(': connected'));
    board.state.cursor = 'b';
    const text = await sse.until((t) => t.includes(': heartbeat') && t.includes('"cursor":"b"'));
    await sse.close();
    expect(text).toContain(': heartbeat');
    expect(text).toMatch(/event: status\ndata: \{"cursor":"b"\}\n/);
  });

  it('close() ends open streams and stops listening', async () => {
    const server = await startServer(emptyBoard().options);
    const response = await fetch(`${server.url}/events/stream`);
    await server.close();
    if (response.body) await readUntil(response.body, () => false).catch(() => '');
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});
