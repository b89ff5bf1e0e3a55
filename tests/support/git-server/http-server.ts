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
import { runHttpBackend } from './http-backend.js';
import { v2CommandOf } from './pkt-lines.js';

export type GitService = 'git-upload-pack' | 'git-receive-pack';

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

export interface GitServerStats {
  /** Every request received. */
  requests: number;
  /** `GET …/info/refs?service=<service>`: the advertisement (v0) or capabilities (v2). */
  advertisements: Record<GitService, number>;
  /** `POST …/<service>`: the RPC itself (ls-refs, fetch, push). */
  rpcs: Record<GitService, number>;
  /** Requests that asked for protocol v2 (`Git-Protocol: version=2`). */
  protocolV2: number;
  /** Request bodies sent gzip'd (`Content-Encoding: gzip`). */
  gzipBodies: number;
  /** v2 upload-pack commands by name (`ls-refs`, `fetch`). */
  commands: Record<string, number>;
  /** The ref-prefix arguments of each v2 ls-refs, in order; `[]`: every ref was advertised. */
  lsRefsPrefixes: string[][];
  /** receive-pack POSTs applied whose answer was cut (losePushResponses, dropPushConnections). */
  lostPushes: number;
  /** Requests answered 502 by failNext. */
  failed: number;
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
}

function emptyStats(): GitServerStats {
  const services = () => ({ 'git-upload-pack': 0, 'git-receive-pack': 0 });
  return {
    requests: 0,
    advertisements: services(),
    rpcs: services(),
    protocolV2: 0,
    gzipBodies: 0,
    commands: {},
    lsRefsPrefixes: [],
    lostPushes: 0,
    failed: 0,
  };
}

function copyStats(s: GitServerStats): GitServerStats {
  return {
    ...s,
    advertisements: { ...s.advertisements },
    rpcs: { ...s.rpcs },
    commands: { ...s.commands },
    lsRefsPrefixes: s.lsRefsPrefixes.map((p) => [...p]),
  };
}

function serviceOf(url: URL): { service: GitService; rpc: boolean } | null {
  const rpc = /\/(git-upload-pack|git-receive-pack)$/.exec(url.pathname);
  if (rpc) return { service: rpc[1] as GitService, rpc: true };
  const advertised = url.searchParams.get('service');
  if (
    url.pathname.endsWith('/info/refs') &&
    (advertised === 'git-upload-pack' || advertised === 'git-receive-pack')
  )
    return { service: advertised, rpc: false };
  return null;
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

  const count = (req: IncomingMessage, url: URL, body: Buffer) => {
    stats.requests++;
    if (/version=2/.test(String(req.headers['git-protocol'] ?? ''))) stats.protocolV2++;
    if (/gzip/i.test(String(req.headers['content-encoding'] ?? ''))) stats.gzipBodies++;
    const service = serviceOf(url);
    if (!service) return null;
    (service.rpc ? stats.rpcs : stats.advertisements)[service.service]++;
    const v2 = service.rpc ? v2CommandOf(body, req.headers['content-encoding']) : null;
    if (v2) {
      stats.commands[v2.command] = (stats.commands[v2.command] ?? 0) + 1;
      if (v2.command === 'ls-refs') stats.lsRefsPrefixes.push(v2.refPrefixes);
    }
    return service;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const service = count(req, url, body);
    if (knobs.failNext > 0) {
      knobs.failNext--;
      stats.failed++;
      await sleep(knobs.latencyMs);
      res.writeHead(502, { 'Content-Type': 'text/plain' }).end('Bad Gateway (git test server)\n');
      return;
    }
    const answer = await runHttpBackend({
      projectRoot: root,
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      body,
    });
    await sleep(knobs.latencyMs);
    if (service?.rpc && service.service === 'git-receive-pack') {
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
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(`git test server failed: ${String(error)}\n`);
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
