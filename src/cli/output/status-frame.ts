/**
 * One frame of `codex-monitor status`, in the three forms it is printed in (text, markdown for
 * --write, JSON). On the local board it is the local store's report; on a ledger board (GitHub,
 * Jira) it is the fleet as the ledger and the board's issues show it (no local-store counts,
 * which would contradict it), plus what only a daemon of this workstation knows (a GitHub
 * rate-limit wait, releases not recorded in the ledger yet).
 */

import { errorMessage } from '../../core/errors.js';
import { redactUrl } from '../../core/redact.js';
import type { SharedState } from '../../state/shared-state.js';
import { buildStatus } from '../../state/status-report.js';
import type { FleetReader, FleetSource } from '../open/open-fleet.js';
import { type Colours, colours } from './colour.js';
import { renderFleetMarkdown, renderFleetText } from './fleet-render.js';
import { localGitHubJson, localGitHubLines, readLocalGitHub, readLocalJira } from './github-status-render.js';
import { renderStatusMarkdown, renderStatusText } from './status-render.js';
import { terminalLine } from './terminal-safe.js';

export interface StatusFrame {
  text: string;
  markdown: string;
  json: unknown;
  /** Why the fleet could not be read (GitHub unreachable, a rate limit): the frame says so. */
  unreadable?: string;
}

const BOARD_NAMES = { github: 'GitHub', jira: 'Jira and the ledger' } as const;

export async function statusFrame(
  store: SharedState,
  /** null on the local board. */
  source: FleetSource | null,
  now: number,
  /** Colours for the text form (the markdown and the JSON stay plain). */
  paint: Colours = colours(false),
): Promise<StatusFrame> {
  if (!source) {
    const report = buildStatus(store, now);
    return { text: renderStatusText(report, paint), markdown: renderStatusMarkdown(report), json: report };
  }
  const local =
    source.board === 'jira'
      ? readLocalJira(store.kv, source.repository)
      : readLocalGitHub(store.kv, source.repository, now);
  const extras = localGitHubLines(local, now);
  let fleet: Awaited<ReturnType<FleetReader>>;
  try {
    fleet = await source.read();
  } catch (error) {
    // An outage or a rate limit is when status matters most: what this workstation knows
    // (the wait, releases not recorded yet) is shown, with why the fleet is not.
    const why = redactUrl(errorMessage(error));
    const text = [
      `codex-monitor status of ${source.repository} at ${new Date(now).toISOString()}: the fleet could not be read from ${BOARD_NAMES[source.board]} (${terminalLine(why)})`,
      ...extras,
    ].join('\n');
    return {
      text: `${text}\n`,
      markdown: `# codex-monitor status of ${source.repository}\n\n${text}\n`,
      json: {
        board: source.board,
        repository: source.repository,
        unreadable: why,
        local: localGitHubJson(local, now),
      },
      unreadable: why,
    };
  }
  return {
    text: renderFleetText(fleet, extras, paint),
    markdown: renderFleetMarkdown(fleet, extras),
    json: { ...fleet, local: localGitHubJson(local, now) },
  };
}
