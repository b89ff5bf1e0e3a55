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
  payloadFor: (issue: IssueSnapshot, files: IssueFiles) => Promise<TaskPayload>;
}

export interface IssueFiles {
  bodyFile: string;
  promptFile: string;
  /** The review whose requested changes this attempt makes, when a reviewer sent the issue back. */
  reviewFile?: string;
}

/** What an attempt answers: the text of the review that sent the issue back (untrusted, a file). */
export interface Answering {
  review: string;
}

/**
 * The task an executor runs for a claimed issue. The issue's text is untrusted: it reaches the
 * executor only as a file (and the prompt built from it), never on a command line.
 */
export async function issueTask(
  o: IssueTaskOptions,
  id: string,
  issue: IssueSnapshot,
  answering?: Answering,
): Promise<BoardTask> {
  const dir = join(o.workDir, String(issue.number));
  mkdirSync(dir, { recursive: true });
  const files: IssueFiles = { bodyFile: join(dir, 'body.md'), promptFile: join(dir, 'prompt.md') };
  writeFileSync(files.bodyFile, issue.body);
  if (answering) {
    files.reviewFile = join(dir, 'review.md');
    writeFileSync(files.reviewFile, answering.review);
  }
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
      ...(files.reviewFile ? { CODEX_MONITOR_REVIEW_FILE: files.reviewFile } : {}),
    },
  };
}
