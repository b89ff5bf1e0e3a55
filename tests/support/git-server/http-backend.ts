/**
 * One HTTP request answered by `git http-backend` (CGI, RFC 3875), fully buffered both ways:
 * a caller can then hold, delay or drop the answer after git applied the request.
 * The request body goes to git as it came (gzip'd bodies are announced in
 * HTTP_CONTENT_ENCODING and inflated by http-backend itself).
 */
import { spawn } from 'node:child_process';
import type { IncomingHttpHeaders } from 'node:http';
import { gitEnv } from './git-env.js';

export interface BackendRequest {
  /** Directory holding the bare repositories (GIT_PROJECT_ROOT). */
  projectRoot: string;
  method: string;
  /** The request target: path and query (`/acme/ledger.git/info/refs?service=…`). */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Who pushes (reflogs, hooks); receive-pack is enabled for everyone regardless. */
  remoteUser?: string;
}

export interface BackendAnswer {
  status: number;
  headers: Array<[string, string]>;
  body: Buffer;
}

function header(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

/** The CGI environment of one request. */
function cgiEnv(req: BackendRequest): Record<string, string> {
  const url = new URL(req.url, 'http://localhost');
  const protocol = header(req.headers, 'git-protocol');
  return gitEnv({
    GIT_PROJECT_ROOT: req.projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    // receive-pack over HTTP is off for anonymous users unless http.receivepack is true.
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'http.receivepack',
    GIT_CONFIG_VALUE_0: 'true',
    REQUEST_METHOD: req.method,
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.slice(1),
    CONTENT_TYPE: header(req.headers, 'content-type'),
    CONTENT_LENGTH: String(req.body.length),
    HTTP_CONTENT_ENCODING: header(req.headers, 'content-encoding'),
    REMOTE_USER: req.remoteUser ?? 'git-server-test',
    REMOTE_ADDR: '127.0.0.1',
    // Protocol v2 is asked for in this header; the CGI passes it on to upload-pack.
    ...(protocol ? { GIT_PROTOCOL: protocol, HTTP_GIT_PROTOCOL: protocol } : {}),
  });
}

/** Splits CGI output into its header block (up to the first blank line) and the body. */
function parseCgi(out: Buffer): BackendAnswer {
  const end = out.indexOf('\r\n\r\n');
  const lines = end < 0 ? [] : out.subarray(0, end).toString('latin1').split('\r\n');
  const answer: BackendAnswer = { status: 200, headers: [], body: end < 0 ? out : out.subarray(end + 4) };
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') answer.status = Number.parseInt(value, 10);
    else if (name) answer.headers.push([name, value]);
  }
  return answer;
}

/** Runs http-backend for `req`; resolves once git has exited (so whatever it applied is applied). */
export function runHttpBackend(req: BackendRequest): Promise<BackendAnswer> {
  return new Promise((resolve, reject) => {
    const cgi = spawn('git', ['http-backend'], { env: cgiEnv(req), stdio: 'pipe' });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    cgi.stdout.on('data', (c: Buffer) => out.push(c));
    cgi.stderr.on('data', (c: Buffer) => err.push(c));
    cgi.stdin.on('error', () => {}); // EPIPE when git refuses before reading the body
    cgi.stdin.end(req.body);
    cgi.once('error', reject);
    cgi.once('close', (code) => {
      const stdout = Buffer.concat(out);
      if (stdout.length > 0) return resolve(parseCgi(stdout));
      const text = `git http-backend exited with ${code}: ${Buffer.concat(err).toString('utf8')}`;
      resolve({ status: 500, headers: [['Content-Type', 'text/plain']], body: Buffer.from(text) });
    });
  });
}
