/**
 * One frame of `codex-monitor status`, in the three forms it is printed in (text, markdown for
 * --write, JSON). On the local board it is the local store's report; on GitHub it is the fleet
 * as the ledger and the issues list show it (no local-store counts, which would contradict it),
 * plus what only a daemon of this workstation knows (rate-limit wait, pending releases).
 */

import { errorMessage } from '../../core/errors.js';
import { redactUrl } from '../../core/redact.js';
import type { SharedState } from '../../state/shared-state.js';
import { buildStatus } from '../../state/status-report.js';
import type { FleetReader } from '../open/open-fleet.js';
import { type Colours, colours } from './colour.js';
import { renderFleetMarkdown, renderFleetText } from './fleet-render.js';
import { localGitHubJson, localGitHubLines, readLocalGitHub } from './github-status-render.js';
import { renderStatusMarkdown, renderStatusText } from './status-render.js';
import { terminalLine } from './terminal-safe.js';

export interface StatusFrame {
  text: string;
  markdown: string;
  json: unknown;
  /** Why the fleet could not be read (GitHub unreachable, a rate limit): the frame says so. */
  unreadable?: string;
}

export async function statusFrame(
  store: SharedState,
  /** null on the local board. */
  github: { repository: string; read: FleetReader } | null,
  now: number,
  /** Colours for the text form (the markdown and the JSON stay plain). */
  paint: Colours = colours(false),
): Promise<StatusFrame> {
  if (!github) {
    const report = buildStatus(store, now);
    return { text: renderStatusText(report, paint), markdown: renderStatusMarkdown(report), json: report };
  }
  const local = readLocalGitHub(store.kv, github.repository, now);
  const extras = localGitHubLines(local, now);
  let fleet: Awaited<ReturnType<FleetReader>>;
  try {
    fleet = await github.read();
  } catch (error) {
    // An outage or a rate limit is when status matters most: what this workstation knows
    // (the wait, releases not recorded yet) is shown, with why the fleet is not.
    const why = redactUrl(errorMessage(error));
    const text = [
      `codex-monitor status of ${github.repository} at ${new Date(now).toISOString()}: the fleet could not be read from GitHub (${terminalLine(why)})`,
      ...extras,
    ].join('\n');
    return {
      text: `${text}\n`,
      markdown: `# codex-monitor status of ${github.repository}\n\n${text}\n`,
      json: {
        board: 'github',
        repository: github.repository,
        unreadable: why,
        local: localGitHubJson(local, now),
      },
      unreadable: why,
    };
  }
  return {
    text: renderFleetText(fleet, extras, paint),
    markdown: renderFleetMarkdown(fleet, extras),
    json: { board: 'github', ...fleet, local: localGitHubJson(local, now) },
  };
}
