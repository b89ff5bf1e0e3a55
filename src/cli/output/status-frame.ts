/**
 * One frame of `codex-monitor status`, in the three forms it is printed in (text, markdown for
 * --write, JSON). On the local board it is the local store's report; on GitHub it is the fleet
 * as the ledger and the issues list show it (no local-store counts, which would contradict it),
 * plus what only a daemon of this workstation knows (rate-limit wait, pending releases).
 */

import type { SharedState } from '../../state/shared-state.js';
import { buildStatus } from '../../state/status-report.js';
import type { FleetReader } from '../open-fleet.js';
import { renderFleetMarkdown, renderFleetText } from './fleet-render.js';
import { localGitHubJson, localGitHubLines, readLocalGitHub } from './github-status-render.js';
import { renderStatusMarkdown, renderStatusText } from './status-render.js';

export interface StatusFrame {
  text: string;
  markdown: string;
  json: unknown;
}

export async function statusFrame(
  store: SharedState,
  /** null on the local board. */
  github: { repository: string; read: FleetReader } | null,
  now: number,
): Promise<StatusFrame> {
  if (!github) {
    const report = buildStatus(store, now);
    return { text: renderStatusText(report), markdown: renderStatusMarkdown(report), json: report };
  }
  const fleet = await github.read();
  const local = readLocalGitHub(store.kv, github.repository, now);
  const extras = localGitHubLines(local, now);
  return {
    text: renderFleetText(fleet, extras),
    markdown: renderFleetMarkdown(fleet, extras),
    json: { board: 'github', ...fleet, local: localGitHubJson(local, now) },
  };
}
