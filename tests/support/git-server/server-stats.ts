/**
 * What the git test server counts: requests by service and kind, protocol v2 commands and their
 * ref prefixes, gzip'd bodies, faults injected, tokens presented. Benchmarks read these to
 * count git round trips per ledger operation.
 */
import type { IncomingMessage } from 'node:http';
import { v2CommandOf } from './pkt-lines.js';

export type GitService = 'git-upload-pack' | 'git-receive-pack';

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
  /** Every token presented (Basic `x-access-token`), to prove which credential git sent. */
  tokensSeen: string[];
}

export function emptyStats(): GitServerStats {
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
    tokensSeen: [],
  };
}

export function copyStats(s: GitServerStats): GitServerStats {
  return {
    ...s,
    advertisements: { ...s.advertisements },
    rpcs: { ...s.rpcs },
    commands: { ...s.commands },
    lsRefsPrefixes: s.lsRefsPrefixes.map((p) => [...p]),
    tokensSeen: [...s.tokensSeen],
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

/** Counts one request; returns its service (and whether it is the RPC POST), or null. */
export function countRequest(stats: GitServerStats, req: IncomingMessage, url: URL, body: Buffer) {
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
}
