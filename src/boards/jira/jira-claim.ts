/**
 * Claiming one Jira issue: the local claim first, only as this workstation's gate (two daemons of
 * one machine never race on the ledger for one issue), then the git ledger, the authority; the gate
 * is given back whenever the ledger does not grant the claim. As claim-issue.ts on GitHub.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../core/logger.js';
import type { TaskPayload } from '../../core/payload.js';
import type { OwnerIdentity } from '../../core/task.js';
import type { ActiveClaim, BoardTask } from '../../daemon/board.js';
import type { SharedState } from '../../state/shared-state.js';
import type { LedgerTicket, RefLedger } from '../github/ledger/index.js';
import type { JiraSnapshot } from './jira-issue.js';

/** A claim this board handed out: the ledger ticket travels with it to heartbeats and release. */
export interface JiraClaim extends ActiveClaim {
  ledger: LedgerTicket;
  issue: JiraSnapshot;
}

/** The executor payload for an issue: from the configuration only, the issue is data in files. */
export type JiraPayloadFor = (
  issue: JiraSnapshot,
  files: { bodyFile: string; promptFile: string },
) => Promise<TaskPayload>;

export interface JiraClaimContext {
  store: SharedState;
  self: OwnerIdentity;
  ledger: Pick<RefLedger, 'claim'>;
  maxRetries: number;
  logger: Logger;
  workDir: string;
  payloadFor: JiraPayloadFor;
}

export function jiraClaimOf(claim: ActiveClaim): JiraClaim | undefined {
  return 'ledger' in claim && 'issue' in claim ? (claim as JiraClaim) : undefined;
}

export async function claimJiraIssue(
  ctx: JiraClaimContext,
  id: string,
  issue: JiraSnapshot,
): Promise<JiraClaim | null> {
  const { self: owner, store } = ctx;
  const local = store.claim(id, owner, { create: true, source: 'jira' });
  if (!local.ok) return null;
  const giveBack = (error: string) => store.release(local.ticket, 'abandoned', { error });
  let won: Awaited<ReturnType<RefLedger['claim']>>;
  try {
    won = await ctx.ledger.claim(issue.id, owner.id, { maxRetries: ctx.maxRetries });
  } catch (error) {
    giveBack(`ledger unavailable: ${String(error)}`);
    throw error;
  }
  if (!won.ok) {
    giveBack(`ledger: ${won.reason}: ${won.detail}`);
    ctx.logger.info({ task: id, reason: won.reason, detail: won.detail }, 'ledger refused the claim');
    return null;
  }
  const grant = { epoch: won.ticket.epoch, retryCount: won.ticket.retries };
  const ticket = store.recordGrant(local.ticket, grant) ?? {
    ...local.ticket,
    epoch: grant.epoch,
    attempt: grant.retryCount + 1,
  };
  return {
    task: await jiraTask(ctx, id, issue),
    ticket,
    tookOverFrom: won.tookOverFrom,
    ledger: won.ticket,
    issue,
  };
}

/** The executor's task: the description (untrusted) reaches it only as a file. */
async function jiraTask(ctx: JiraClaimContext, id: string, issue: JiraSnapshot): Promise<BoardTask> {
  const dir = join(ctx.workDir, issue.key);
  mkdirSync(dir, { recursive: true });
  const files = { bodyFile: join(dir, 'body.md'), promptFile: join(dir, 'prompt.md') };
  writeFileSync(files.bodyFile, issue.body);
  return {
    id,
    title: issue.title,
    agent: issue.agent,
    payload: await ctx.payloadFor(issue, files),
    env: {
      CODEX_MONITOR_JIRA_KEY: issue.key,
      CODEX_MONITOR_ISSUE_URL: issue.url,
      CODEX_MONITOR_ISSUE_BODY_FILE: files.bodyFile,
    },
  };
}
