import { describe, expect, it } from 'vitest';
import type { Notification } from '../../core/notification.js';
import type { JiraSnapshot } from './jira-issue.js';
import { jiraNotices } from './jira-notices.js';

const issue = { key: 'OPS-7', url: 'https://acme.atlassian.net/browse/OPS-7' } as JiraSnapshot;
const stderr = 'failed in /home/alice/src: JIRA_API_TOKEN=ATATT3xFfGF0abcdef0123456789abcdef rejected';

function notices(publishErrors?: boolean) {
  const sent: Notification[] = [];
  const n = jiraNotices({
    notify: { notify: (x) => sent.push(x) },
    site: 'https://acme.atlassian.net',
    issueOf: (chain) => (chain === 10007 ? issue : undefined),
    ...(publishErrors === undefined ? {} : { publish: { publishErrors, home: '/home/alice' } }),
  });
  return { n, sent };
}

describe('jiraNotices', () => {
  it('names the task by key and links it; the agent error only when published, then redacted', () => {
    for (const quiet of [notices(), notices(false)]) {
      quiet.n.poisoned(10007, 'ws1/codex', 4, stderr);
      expect(quiet.sent[0]).toMatchObject({ event: 'poisoned', task: 'OPS-7', url: issue.url });
      expect(quiet.sent[0]).not.toHaveProperty('error');
    }
    const shown = notices(true);
    shown.n.poisoned(10007, 'ws1/codex', 4, stderr);
    expect(shown.sent[0]?.error).toBe('failed in ~/src: JIRA_API_TOKEN=[redacted] rejected');
  });
});
