import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  path: string;
  body: string;
  authorization: string | undefined;
}

/**
 * A local HTTP receiver on 127.0.0.1, port 0: records each request and answers with the next
 * scripted status (then 200). `hold` keeps requests open until `release()`.
 */
export async function startReceiver(script: number[] = []) {
  const received: Received[] = [];
  const waiters: Array<() => void> = [];
  let held: Array<() => void> | null = null;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        path: req.url ?? '',
        body: Buffer.concat(chunks).toString(),
        authorization: req.headers.authorization,
      });
      for (const w of waiters.splice(0)) w();
      const answer = () => {
        res.writeHead(script.shift() ?? 200, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
      };
      if (held) held.push(answer);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    hold() {
      held = [];
    },
    release() {
      const pending = held ?? [];
      held = null;
      for (const answer of pending) answer();
    },
    /** Resolves once `count` requests have arrived. */
    async waitFor(count: number): Promise<void> {
      while (received.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
