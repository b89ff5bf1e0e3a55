import { createServer, type IncomingMessage, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What to do with a request: `before` it is forwarded — drop the connection, or answer it with
 * a 5xx without forwarding (a partial outage); `after` the fake applied it — drop the answer
 * (a lost response).
 */
export interface Cuts {
  before?: (req: IncomingMessage, body: string) => false | 'drop' | 502 | 503;
  after?: (req: IncomingMessage, status: number) => boolean;
}

/** A pass-through HTTP proxy in front of the GitHub fake that injects faults per request. */
export async function startCuttingProxy(target: string, cuts: Cuts) {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const body: Buffer[] = [];
    req.on('data', (c: Buffer) => body.push(c));
    req.on('end', () => {
      const cut = cuts.before?.(req, Buffer.concat(body).toString()) ?? false;
      if (cut === 'drop') {
        res.destroy();
        return;
      }
      if (cut !== false) {
        res.writeHead(cut, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'Server Error (proxy)' }));
        return;
      }
      const headers = req.headers;
      const options = {
        host: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers,
      };
      const up = request(options, (answer) => {
        const out: Buffer[] = [];
        answer.on('data', (c: Buffer) => out.push(c));
        answer.on('end', () => {
          if (cuts.after?.(req, answer.statusCode ?? 0)) {
            res.destroy();
            return;
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(Buffer.concat(out));
        });
      });
      up.on('error', () => res.destroy());
      up.end(Buffer.concat(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
