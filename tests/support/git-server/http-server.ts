/**
 * A git smart-HTTP server in the test process: node:http in front of `git http-backend`,
 * serving every bare repository under `root`, with faults a ledger must survive — latency,
 * 502s, and pushes that are applied but whose answer never arrives.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isAbsolute, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type GitHttpTokens, refusal, TOKEN_USER, tokenOf } from './basic-auth.js';
import { runHttpBackend } from './http-backend.js';
import { copyStats, countRequest, emptyStats, type GitServerStats } from './server-stats.js';

export type { GitServerStats, GitService } from './server-stats.js';

export interface GitServerKnobs {
  /** Delay before every response (and before every cut), in ms. */
  latencyMs: number;
  /**
   * The next n receive-pack POSTs are applied, then the answer is cut after its headers: git
   * fails without a status for the ref (curl does not resend a request once an answer began).
   */
  losePushResponses: number;
  /**
   * The next n receive-pack POSTs are applied, then the connection is destroyed before any byte
   * of the answer. curl resends such a request once when the connection was reused (node keeps
   * connections alive), so git may report `[remote rejected]` for a push of its own that was
   * applied by the first transmission — a hazard of real HTTP the ledger must also survive.
   */
  dropPushConnections: number;
  /** The next n requests (of any kind) are answered 502 without reaching git. */
  failNext: number;
}

export interface GitHttpServer {
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  /** The URL of a repository: `repoPath` relative to root (`acme/ledger.git`) or absolute inside it. */
  url(repoPath: string): string;
  /** A copy of the counters since start (or the last resetStats). */
  stats(): GitServerStats;
  resetStats(): void;
  /** Changes the given knobs; the others keep their values. */
  setKnobs(knobs: Partial<GitServerKnobs>): void;
  /** Stops listening and cuts open connections; idempotent. */
  close(): Promise<void>;
}

export interface GitHttpServerOptions {
  /** Absolute directory holding the bare repositories. */
  root: string;
  latencyMs?: number;
  /** When given, every request needs one of these tokens (pushes a write token); else anyone may. */
  tokens?: GitHttpTokens;
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain' }).end(`${text}\n`);
}

function checkKnobs(knobs: Partial<GitServerKnobs>): void {
  for (const [name, value] of Object.entries(knobs)) {
    if (!Number.isInteger(value) || (value as number) < 0)
      throw new Error(`git server knob ${name} must be a whole number ≥ 0, got ${JSON.stringify(value)}`);
  }
}

export async function startGitHttpServer(options: GitHttpServerOptions): Promise<GitHttpServer> {
  const { root } = options;
  if (!isAbsolute(root))
    throw new Error(`startGitHttpServer: root must be absolute, got ${JSON.stringify(root)}`);
  const knobs: GitServerKnobs = {
    latencyMs: options.latencyMs ?? 0,
    losePushResponses: 0,
    dropPushConnections: 0,
    failNext: 0,
  };
  checkKnobs(knobs);
  let stats = emptyStats();

  const handle = async (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const service = countRequest(stats, req, url, body);
    const token = tokenOf(req);
    if (token !== null) stats.tokensSeen.push(token);
    // A gateway's 502 comes before any credential check; a refusal never reaches git.
    if (knobs.failNext > 0) {
      knobs.failNext--;
      stats.failed++;
      await sleep(knobs.latencyMs);
      return plain(res, 502, 'Bad Gateway (git test server)');
    }
    const pushing = service?.service === 'git-receive-pack';
    const refused = options.tokens ? refusal(options.tokens, token, pushing) : null;
    if (refused !== null) {
      await sleep(knobs.latencyMs);
      // No text/plain type, so git does not quote the body as a `remote:` line.
      if (refused === 401) res.setHeader('WWW-Authenticate', 'Basic realm="git test server"');
      res.writeHead(refused).end(refused === 401 ? 'Authentication required\n' : 'Permission denied\n');
      return;
    }
    const answer = await runHttpBackend({
      projectRoot: root,
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      body,
      ...(token === null ? {} : { remoteUser: TOKEN_USER }),
    });
    await sleep(knobs.latencyMs);
    if (service?.rpc && pushing) {
      if (knobs.dropPushConnections > 0) {
        knobs.dropPushConnections--;
        stats.lostPushes++;
        res.socket?.destroy();
        return;
      }
      if (knobs.losePushResponses > 0) {
        knobs.losePushResponses--;
        stats.lostPushes++;
        res.writeHead(answer.status, answer.headers.flat()).flushHeaders();
        res.socket?.end(); // after the headers: the chunked body never completes
        return;
      }
    }
    res.writeHead(answer.status, answer.headers.flat()).end(answer.body);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks)).catch((error: unknown) => {
        if (res.headersSent) res.destroy();
        else plain(res, 500, `git test server failed: ${String(error)}`);
      });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let closing: Promise<void> | undefined;

  return {
    baseUrl,
    url(repoPath) {
      const rel = isAbsolute(repoPath) ? relative(root, repoPath) : repoPath;
      if (rel === '' || rel.startsWith('..') || isAbsolute(rel))
        throw new Error(`git server: repository ${JSON.stringify(repoPath)} is not inside its root ${root}`);
      return `${baseUrl}/${rel.split('/').map(encodeURIComponent).join('/')}`;
    },
    stats: () => copyStats(stats),
    resetStats: () => {
      stats = emptyStats();
    },
    setKnobs(next) {
      checkKnobs(next);
      Object.assign(knobs, next);
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
