/**
 * What a one-shot command that READS GitHub opens (`status`, `logs`): a client that waits on
 * nothing — a rate limit or an outage fails the read at once, for the command to say so — and
 * the ledger transport the configuration selects, chosen without a dry-run push. Writes nothing
 * to GitHub. The GitHub modules are loaded only here, on a GitHub configuration.
 */
import type { GitHubClient, ResponseInfo } from '../../boards/github/http/index.js';
import type { LedgerTransport } from '../../boards/github/ledger/index.js';
import { GITHUB_LIMIT } from '../../boards/github/limit-record.js';
import type { Config } from '../../config/config.js';
import type { Clock } from '../../core/clock.js';
import { InputError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { KeyValueStore } from '../../state/kv-store.js';
import type { SharedState } from '../../state/shared-state.js';
import { gitCredentialsFor } from './git-credentials.js';
import { openGitHubAuthFor } from './open-board.js';

export interface GitHubReader {
  client: GitHubClient;
  owner: string;
  repo: string;
  transport: LedgerTransport;
  /**
   * The reader's own kv namespaces (issue cursor, issue copy, ETags): moving a running daemon's
   * cursor would make it miss the issues this read consumed, and sharing ETag slots with it
   * (their URLs differ by `since`) would cost both a full answer every time.
   */
  kv: KeyValueStore;
}

/** Who hears of the reader's requests (the dashboard's metrics); a one-shot command passes none. */
export interface ReaderObservers {
  onResponse?: (info: ResponseInfo) => void;
  /** A rate limit refused a request (the reader waits on nothing: `kind` is primary or secondary). */
  onLimit?: (kind: string) => void;
}

export async function openGitHubReader(
  config: Config,
  store: SharedState,
  /** `purpose`: what the command reads, for the error that names missing settings. */
  deps: { clock: Clock; logger: Logger; purpose: string; observe?: ReaderObservers },
): Promise<GitHubReader> {
  const repository = config.github.repository;
  if (!repository) throw new InputError(`${deps.purpose} needs GITHUB_REPOSITORY (owner/name).`);
  const { owner, repo } = repository;
  const { clock, logger } = deps;
  const [{ createGitHubClient }, { RestTransport }] = await Promise.all([
    import('../../boards/github/http/index.js'),
    import('../../boards/github/ledger/index.js'),
  ]);
  const auth = await openGitHubAuthFor(config, clock);
  const clientAuth =
    auth?.client ?? (config.github.token === undefined ? undefined : { token: config.github.token });
  if (!clientAuth) {
    throw new InputError(
      `${deps.purpose} reads ${owner}/${repo} on GitHub, which needs credentials: set GITHUB_TOKEN (or a GitHub App), or log in with gh auth login.`,
    );
  }
  const kv = namespaced(store.kv, 'status:');
  const client = createGitHubClient({
    baseUrl: config.github.apiUrl,
    ...clientAuth,
    etags: kv,
    logger,
    maxLimitRetries: 0,
    serverRetries: 1,
    ...(deps.observe?.onResponse ? { onResponse: deps.observe.onResponse } : {}),
    // The wait is kept where the daemons keep theirs: status shows it.
    onLimit: (info) => {
      store.kv.set(GITHUB_LIMIT, `${owner}/${repo}`, JSON.stringify({ ...info, at: clock.now() }));
      deps.observe?.onLimit?.(info.kind);
    },
  });
  const { openLedgerTransport } = await import('./open-ledger.js');
  const chosen = await openLedgerTransport(config, {
    logger,
    credentials: gitCredentialsFor(config, auth?.app),
    readOnly: true,
  });
  const transport = chosen.transport ?? new RestTransport(client, owner, repo, store.kv, logger);
  return { client, owner, repo, transport, kv };
}

/** The same table under prefixed namespaces. */
function namespaced(kv: KeyValueStore, prefix: string): KeyValueStore {
  return {
    get: (ns, key) => kv.get(prefix + ns, key),
    set: (ns, key, value) => kv.set(prefix + ns, key, value),
    delete: (ns, key) => kv.delete(prefix + ns, key),
    entries: (ns) => kv.entries(prefix + ns),
  };
}
