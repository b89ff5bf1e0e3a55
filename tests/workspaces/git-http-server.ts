/**
 * A git smart-HTTP server for tests: Node's http in front of `git http-backend` (CGI), with
 * Basic authentication as GitHub does it for tokens (user `x-access-token`, the token as
 * password). A read token may fetch; only a write token may push (403 otherwise, as GitHub
 * answers a token without push access). Serves the bare repositories under `projectRoot`.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GitHttpServer {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Every password presented (to prove which credential git sent). */
  passwordsSeen: string[];
  close(): Promise<void>;
}

export interface GitHttpTokens {
  read: string[];
  write: string[];
}

function password(req: IncomingMessage): string | null {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return null;
  const [user, ...rest] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
  return user === 'x-access-token' ? rest.join(':') : null;
}

function deny(res: ServerResponse, status: 401 | 403): void {
  if (status === 401) res.setHeader('WWW-Authenticate', 'Basic realm="GitHub"');
  res.statusCode = status;
  res.end(status === 401 ? 'Authentication required\n' : 'Permission denied\n');
}

export async function startGitHttpServer(projectRoot: string, tokens: GitHttpTokens): Promise<GitHttpServer> {
  const passwordsSeen: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const pass = password(req);
    if (pass !== null) passwordsSeen.push(pass);
    const pushing =
      url.searchParams.get('service') === 'git-receive-pack' || url.pathname.endsWith('/git-receive-pack');
    if (pass === null || ![...tokens.read, ...tokens.write].includes(pass)) return deny(res, 401);
    if (pushing && !tokens.write.includes(pass)) return deny(res, 403);
    const cgi = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH ?? '',
        GIT_PROJECT_ROOT: projectRoot,
        GIT_HTTP_EXPORT_ALL: '1',
        REMOTE_USER: 'x-access-token', // enables receive-pack
        REQUEST_METHOD: req.method ?? 'GET',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
        ...(req.headers['content-length'] ? { CONTENT_LENGTH: req.headers['content-length'] } : {}),
      },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    req.pipe(cgi.stdin);
    // The CGI answer: headers up to a blank line, then the body.
    let head = Buffer.alloc(0);
    let bodyStarted = false;
    cgi.stdout.on('data', (chunk: Buffer) => {
      if (bodyStarted) return void res.write(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      bodyStarted = true;
      for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
        const [name, ...value] = line.split(':');
        if (name?.toLowerCase() === 'status') res.statusCode = Number.parseInt(value.join(':'), 10);
        else if (name) res.setHeader(name, value.join(':').trim());
      }
      res.write(head.subarray(end + 4));
    });
    cgi.on('close', () => res.end());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    passwordsSeen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
