import { describe, expect, it } from 'vitest';
import { jiraPrompt } from './jira-payload.js';

describe('jiraPrompt', () => {
  it('names the key, the one-line summary and the link, then the description as written', () => {
    const prompt = jiraPrompt({
      key: 'OPS-12',
      title: 'Fix\nthe  build',
      url: 'https://acme.atlassian.net/browse/OPS-12',
      body: '$(rm -rf ~)\n- keep it\n',
    });
    expect(prompt).toBe(
      'Resolve the following Jira issue in this repository.\n\n# OPS-12: Fix the build\n\n' +
        'URL: https://acme.atlassian.net/browse/OPS-12\n\n$(rm -rf ~)\n- keep it\n',
    );
    expect(jiraPrompt({ key: 'OPS-1', title: 't', url: 'u', body: '' })).toContain(
      '(The issue has no description.)',
    );
  });
});
