/**
 * Claiming one Jira issue: on the git ledger behind the local gate (the ledger core's
 * claimOnLedger), then its task, whose prompt is the description as a file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TaskPayload } from '../../core/payload.js';
import type { ActiveClaim, BoardTask } from '../../daemon/board.js';
import { claimOnLedger, type LedgerClaim, type LedgerClaimContext } from '../ledger/index.js';
import type { JiraSnapshot } from './jira-issue.js';

/** A claim this board handed out: the ledger ticket travels with it to heartbeats and release. */
export interface JiraClaim extends LedgerClaim {
  issue: JiraSnapshot;
}

/** The executor payload for an issue: from the configuration only, the issue is data in files. */
export type JiraPayloadFor = (
  issue: JiraSnapshot,
  files: { bodyFile: string; promptFile: string },
) => Promise<TaskPayload>;

export interface JiraClaimContext extends Omit<LedgerClaimContext, 'source'> {
  workDir: string;
  payloadFor: JiraPayloadFor;
  /** Attempts work in worktrees and deliver their branch (and a pull request): jira-deliver.ts. */
  delivers?: boolean;
}

export function jiraClaimOf(claim: ActiveClaim): JiraClaim | undefined {
  return 'ledger' in claim && 'issue' in claim ? (claim as JiraClaim) : undefined;
}

export async function claimJiraIssue(
  ctx: JiraClaimContext,
  id: string,
  issue: JiraSnapshot,
): Promise<JiraClaim | null> {
  const won = await claimOnLedger({ ...ctx, source: 'jira' }, id, issue.id);
  if (!won) return null;
  const task = await jiraTask(ctx, id, issue);
  if (ctx.delivers) {
    // Keyed by the Jira key (branch codex/OPS-12-…); a retry continues the branch the chain names.
    task.work = { key: issue.key, title: issue.title, reference: issue.key, branch: won.ledger.branch };
  }
  return { task, ...won, issue };
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
