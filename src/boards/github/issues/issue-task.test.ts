import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../../tests/support/temp-dir.js';
import type { IssueSnapshot } from './issue-snapshot.js';
import { type IssueFiles, issueTask } from './issue-task.js';

const tempDir = useTempDirs();

const issue: IssueSnapshot = {
  number: 12,
  title: 'Fix login',
  body: 'It fails; `rm -rf /` is just text.',
  state: 'open',
  stateReason: null,
  labels: [],
  authorAssociation: 'MEMBER',
  author: 'alice',
  url: 'https://github.com/acme/widgets/issues/12',
  updatedAt: '2026-01-01T00:00:00Z',
  deps: [],
  agent: null,
  priority: 0,
};

describe('the task of a claimed issue', () => {
  it('gives the issue text and, for a sent-back attempt, the review to answer as files only', async () => {
    const dir = tempDir();
    let given: IssueFiles | undefined;
    const options = {
      owner: 'acme',
      repo: 'widgets',
      workDir: dir,
      payloadFor: async (_: IssueSnapshot, files: IssueFiles) => {
        given = files;
        return { kind: 'noop' as const };
      },
    };
    const first = await issueTask(options, '12', issue);
    expect(given?.reviewFile).toBeUndefined();
    expect(first.env).not.toHaveProperty('CODEX_MONITOR_REVIEW_FILE');
    expect(readFileSync(first.env!.CODEX_MONITOR_ISSUE_BODY_FILE!, 'utf8')).toBe(issue.body);

    const answer = await issueTask(options, '12', issue, { review: 'Rename `x`; $(touch pwned)' });
    expect(given?.reviewFile).toBe(answer.env!.CODEX_MONITOR_REVIEW_FILE);
    expect(readFileSync(given!.reviewFile!, 'utf8')).toBe('Rename `x`; $(touch pwned)');
    expect(existsSync(`${dir}/pwned`)).toBe(false);
  });
});
