import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TaskPayload } from '../../../core/payload.js';
import type { BoardTask } from '../../../daemon/board.js';
import type { IssueSnapshot } from './issue-snapshot.js';

export interface IssueTaskOptions {
  owner: string;
  repo: string;
  /** Where issue bodies (and prompts) are written for the executor. */
  workDir: string;
  /** The executor payload for an issue: from the configuration, never from the issue. */
  payloadFor: (issue: IssueSnapshot, files: { bodyFile: string; promptFile: string }) => Promise<TaskPayload>;
}

/**
 * The task an executor runs for a claimed issue. The issue's text is untrusted: it reaches the
 * executor only as a file (and the prompt built from it), never on a command line.
 */
export async function issueTask(o: IssueTaskOptions, id: string, issue: IssueSnapshot): Promise<BoardTask> {
  const dir = join(o.workDir, String(issue.number));
  mkdirSync(dir, { recursive: true });
  const files = { bodyFile: join(dir, 'body.md'), promptFile: join(dir, 'prompt.md') };
  writeFileSync(files.bodyFile, issue.body);
  return {
    id,
    title: issue.title,
    agent: issue.agent,
    payload: await o.payloadFor(issue, files),
    env: {
      CODEX_MONITOR_ISSUE_NUMBER: String(issue.number),
      CODEX_MONITOR_ISSUE_URL: issue.url,
      CODEX_MONITOR_ISSUE_BODY_FILE: files.bodyFile,
      CODEX_MONITOR_REPOSITORY: `${o.owner}/${o.repo}`,
    },
  };
}
