/**
 * The fleet on Jira as `status`, the dashboard and /metrics show it: every owner and claim from
 * the git ledger (the Jira board's own namespace), the issues JIRA_JQL selects from Jira — not
 * this workstation's store, which sees only its own daemons. Writes nothing, to Jira or the ledger.
 *
 * Requests per read: the issue search (the first read lists every issue JIRA_JQL selects, later
 * reads of the same reader only those updated since, as the board's JiraSync does; a full listing
 * every JIRA_FULL_RESYNC_MS finds issues that left the query), then over git one listing of the
 * ledger's refs (a fetch when a ref moved), one commit read per task tip never seen before and
 * one per owner whose heartbeat moved since this workstation's last look (ledger core: fleet-look.ts).
 */
import type { Clock } from '../../core/clock.js';
import type { KeyValueStore } from '../../state/kv-store.js';
import type { LedgerTransport } from '../github/ledger/index.js';
import { buildFleetView, type FleetView, lookAtLedger } from '../ledger/index.js';
import { assessJiraIssues } from './jira-eligibility.js';
import type { JiraSnapshot } from './jira-issue.js';
import type { JiraSync } from './jira-sync.js';

export interface JiraFleetReadOptions {
  /** The Jira site (JIRA_BASE_URL): names the fleet, and this workstation's sightings of it. */
  site: string;
  transport: LedgerTransport;
  /** The Jira board's ledger namespace (JIRA_LEDGER_NAMESPACE). */
  namespace: string;
  sync: Pick<JiraSync, 'pull'>;
  /** The issues as last listed, by numeric id: kept by the reader across reads (incremental). */
  issues: Map<number, JiraSnapshot>;
  /** Where this workstation remembers what it saw of the refs (FleetSightings). */
  kv: KeyValueStore;
  clock: Clock;
  staleThresholdMs: number;
  labels: { ignore: string; done: string; failed: string };
  /** This workstation's owner id: the queue is shown in its daemon's claim order. */
  ownerId: string;
  signal?: AbortSignal | undefined;
}

export async function readJiraFleet(o: JiraFleetReadOptions): Promise<FleetView> {
  const { changed, gone } = await o.sync.pull(o.issues, o.signal);
  for (const id of gone) o.issues.delete(id);
  for (const issue of changed) o.issues.set(issue.id, issue);
  const look = await lookAtLedger({ ...o, board: `jira ${o.site}` });
  const eligibility = assessJiraIssues({
    issues: o.issues,
    ledger: look.view,
    agent: null,
    ignoreLabel: o.labels.ignore,
    // The ledger is the authority here: a local claim row proves nothing about the fleet.
    heldLocally: () => false,
    now: look.now,
  });
  return buildFleetView({
    board: 'jira',
    repository: o.site,
    now: look.now,
    ledger: look.ledger,
    staleThresholdMs: o.staleThresholdMs,
    view: look.view,
    eligibility,
    idOf: (issue) => issue.id,
    titleOf: (id) => o.issues.get(id)?.title ?? '',
    labelsOf: (id) => o.issues.get(id)?.labels,
    labels: o.labels,
    // An issue the query no longer lists (a chain of an issue moved or deleted) keeps its id.
    keyOf: (id) => o.issues.get(id)?.key ?? `id ${id}`,
    // Jira work is not delivered as GitHub pull requests the fleet could look up.
    pullState: () => null,
    heartbeats: look.heartbeats,
    ages: look.sightings,
    ownerId: o.ownerId,
  });
}
