/**
 * Which transport speaks the claim ledger (LEDGER_TRANSPORT). git — `git push --force-with-lease`
 * and `git fetch` of refs/codex-monitor/*, no REST request at all — needs a remote: LEDGER_REMOTE,
 * or the push URL of WORKSPACE_REMOTE in CODEX_MONITOR_REPO_DIR when that is a clone of
 * GITHUB_REPOSITORY. `auto` takes git when such a remote exists and a dry-run push shows this
 * user may push there, else the REST API (and says why). Every daemon of a fleet must speak to
 * the same repository: on GitHub, refs written over git are the very refs the REST API moves.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { LedgerTransport } from '../../boards/github/ledger/index.js';
import type { Config } from '../../config/config.js';
import { InputError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { checkRepository, type GitCredentials, probePush, runGit } from '../../workspaces/index.js';

export interface LedgerChoice {
  /** undefined: the REST transport (the board's own default). */
  transport: LedgerTransport | undefined;
  /** Why this transport, for the log and `doctor`. */
  reason: string;
}

export async function openLedgerTransport(
  config: Config,
  /** `signal`: stops the ledger's git calls (a forced exit must leave no git behind). */
  deps: {
    logger: Logger;
    credentials: GitCredentials;
    signal?: AbortSignal;
    /** A reader (status, logs): no dry-run push, reading the refs needs no push access. */
    readOnly?: boolean;
  },
): Promise<LedgerChoice> {
  const { transport: wanted, remote: configured } = config.workspace.ledger;
  if (wanted === 'rest') return { transport: undefined, reason: 'LEDGER_TRANSPORT=rest' };
  const found =
    configured !== undefined
      ? await configuredRemote(config, configured)
      : await cloneRemote(config, deps.readOnly === true);
  if ('problem' in found) {
    if (wanted === 'git') {
      throw new InputError(
        `LEDGER_TRANSPORT=git needs a git remote for the ledger, but ${found.problem}. Set LEDGER_REMOTE ` +
          `(a URL or a remote name), or point CODEX_MONITOR_REPO_DIR at a clone of ${repositoryName(config)}.`,
      );
    }
    return { transport: undefined, reason: `REST API: ${found.problem}` };
  }
  if (wanted === 'auto' && configured === undefined && !deps.readOnly) {
    const probe = await probePush({
      repoDir: config.workspace.repoDir,
      remote: config.workspace.remote,
      credentials: deps.credentials,
    });
    if (!probe.ok)
      return { transport: undefined, reason: `REST API: a dry-run push was refused (${probe.detail})` };
  }
  const { GitTransport } = await import('../../boards/github/ledger/index.js');
  const transport = new GitTransport({
    remote: found.url,
    cacheDir: join(
      config.stateDir,
      'ledger',
      `${createHash('sha256').update(found.url).digest('hex').slice(0, 16)}.git`,
    ),
    auth: deps.credentials,
    logger: deps.logger,
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
  return { transport, reason: `git protocol to ${transport.where} (${found.source})` };
}

type Found = { url: string; source: string } | { problem: string };

/** LEDGER_REMOTE: a URL or a path as git takes it, or the name of a remote of the repo dir. */
async function configuredRemote(config: Config, remote: string): Promise<Found> {
  if (/[:/]/.test(remote)) return { url: remote, source: 'LEDGER_REMOTE' };
  const url = await remoteUrl(config.workspace.repoDir, remote, 'push');
  return url === null
    ? {
        problem: `LEDGER_REMOTE names the remote ${JSON.stringify(remote)}, which ${config.workspace.repoDir} does not have`,
      }
    : { url, source: `LEDGER_REMOTE, remote ${remote} of ${config.workspace.repoDir}` };
}

/**
 * The push URL of WORKSPACE_REMOTE (a reader's: its fetch URL), when the repo dir is a clone of
 * GITHUB_REPOSITORY.
 */
async function cloneRemote(config: Config, reader: boolean): Promise<Found> {
  const { repoDir, remote } = config.workspace;
  try {
    await checkRepository({ repoDir, remote, repository: repositoryName(config) });
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
  const url = await remoteUrl(repoDir, remote, reader ? 'fetch' : 'push');
  return url === null
    ? { problem: `${repoDir} has no remote ${remote}` }
    : { url, source: `remote ${remote} of ${repoDir}` };
}

async function remoteUrl(repoDir: string, remote: string, use: 'push' | 'fetch'): Promise<string | null> {
  try {
    const push = use === 'push' ? ['--push'] : [];
    const { stdout } = await runGit(['remote', 'get-url', ...push, '--', remote], {
      cwd: repoDir,
      timeoutMs: 30_000,
    });
    return stdout.trim() || null;
  } catch {
    return null;
  }
}

function repositoryName(config: Config): string {
  const r = config.github.repository;
  return r ? `${r.owner}/${r.repo}` : '(GITHUB_REPOSITORY)';
}
