/**
 * Opens what `status` needs to read the fleet on GitHub: the client (with the persisted ETag
 * cache, so repeated looks cost 304s), the ledger transport the configuration selects (the
 * daemon's own choice, open-ledger.ts) and an issue sync of the reader's own. Writes nothing
 * to GitHub. The GitHub modules are loaded only here, on a GitHub configuration.
 */
import type { FleetView } from '../../boards/github/fleet/index.js';
import { GITHUB_LIMIT } from '../../boards/github/limit-record.js';
import type { Config } from '../../config/config.js';
import type { Clock } from '../../core/clock.js';
import { InputError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { KeyValueStore } from '../../state/kv-store.js';
import { currentOwner } from '../../state/open-state.js';
import type { SharedState } from '../../state/shared-state.js';
import { gitCredentialsFor } from './git-credentials.js';
import { openGitHubAuthFor } from './open-board.js';

/** Reads the fleet once per call (see fleet-read.ts for the requests each call makes). */
export type FleetReader = (signal?: AbortSignal) => Promise<FleetView>;

export async function openFleetReader(
  config: Config,
  store: SharedState,
  deps: { clock: Clock; logger: Logger },
): Promise<FleetReader> {
  const repository = config.github.repository;
  if (!repository)
    throw new InputError('status reads the fleet only on GitHub: set GITHUB_REPOSITORY (owner/name).');
  const { owner, repo } = repository;
  const { clock, logger } = deps;
  const [{ createGitHubClient }, { IssueStore, IssueSync }, { RestTransport }, { readFleet }] =
    await Promise.all([
      import('../../boards/github/http/index.js'),
      import('../../boards/github/issues/index.js'),
      import('../../boards/github/ledger/index.js'),
      import('../../boards/github/fleet/index.js'),
    ]);
  const auth = await openGitHubAuthFor(config, clock);
  const clientAuth =
    auth?.client ?? (config.github.token === undefined ? undefined : { token: config.github.token });
  if (!clientAuth) {
    throw new InputError(
      `status reads the fleet of ${owner}/${repo} from GitHub, which needs credentials: set GITHUB_TOKEN (or a GitHub App).`,
    );
  }
  // The reader's own cursor, copy of the issues and ETags: moving a running daemon's cursor would
  // make it miss the issues this read consumed (its copy lives in its memory), and sharing ETag
  // slots with it (their URLs differ by `since`) would cost both a full answer every time.
  const own = namespaced(store.kv, 'status:');
  // A one-shot reader waits on nothing: a rate limit or an outage fails the look at once (the
  // frame says why); the limit is kept where the daemons keep theirs, so status shows the wait.
  const client = createGitHubClient({
    baseUrl: config.github.apiUrl,
    ...clientAuth,
    etags: own,
    logger,
    maxLimitRetries: 0,
    serverRetries: 1,
    onLimit: (info) =>
      store.kv.set(GITHUB_LIMIT, `${owner}/${repo}`, JSON.stringify({ ...info, at: clock.now() })),
  });
  const { openLedgerTransport } = await import('./open-ledger.js');
  const chosen = await openLedgerTransport(config, {
    logger,
    credentials: gitCredentialsFor(config, auth?.app),
    readOnly: true,
  });
  const transport = chosen.transport ?? new RestTransport(client, owner, repo, store.kv, logger);
  const sync = new IssueSync({
    client,
    owner,
    repo,
    cursor: own,
    monotonic: () => clock.monotonic(),
    priorities: config.github.priorityLabels,
    logger,
  });
  const issues = new IssueStore(own, `${owner}/${repo}`);
  const policy = {
    trustedAssociations: config.github.trustedAssociations,
    taskLabels: config.github.taskLabels,
  };
  return (signal) =>
    readFleet({
      repository: `${owner}/${repo}`,
      transport,
      sync,
      issues,
      kv: store.kv,
      clock,
      staleThresholdMs: config.sharedState.staleThresholdMs,
      policy,
      ownerId: currentOwner(config.ownerId).id,
      ...(signal ? { signal } : {}),
    });
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
