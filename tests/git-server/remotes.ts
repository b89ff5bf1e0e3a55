/**
 * Setup shared by the git-server tests: a bare repository reached over `file://` or through
 * the smart-HTTP server, and an empty client repository to push from. Closed after each test.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import {
  createBareRepo,
  type GitHttpServer,
  type GitHttpServerOptions,
  gitSync,
  startGitHttpServer,
} from '../support/git-server/index.js';
import { useTempDirs } from '../support/temp-dir.js';

export type Transport = 'file' | 'http';

export interface Remote {
  transport: Transport;
  /** What git is given as the remote. */
  url: string;
  /** The bare repository on disk. */
  bare: string;
  /** A repository to make commits in and push from. */
  client: string;
  /** Only for `http`. */
  server?: GitHttpServer;
}

export function useRemotes(): (
  transport: Transport,
  options?: Omit<GitHttpServerOptions, 'root'>,
) => Promise<Remote> {
  const tempDir = useTempDirs();
  const servers: GitHttpServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  return async (transport, options = {}) => {
    const dir = tempDir();
    const root = join(dir, 'srv');
    const bare = createBareRepo(join(root, 'acme', 'ledger.git'));
    const client = join(dir, 'client');
    mkdirSync(client);
    gitSync(client, ['init', '--quiet', client]);
    if (transport === 'file') return { transport, url: `file://${bare}`, bare, client };
    const server = await startGitHttpServer({ root, ...options });
    servers.push(server);
    return { transport, url: server.url('acme/ledger.git'), bare, client, server };
  };
}

/** The sha a ref of a bare repository points at, or null when it does not exist. */
export function refOf(bare: string, ref: string): string | null {
  const out = gitSync(bare, ['for-each-ref', '--format=%(objectname)', ref]);
  return out === '' ? null : out;
}
