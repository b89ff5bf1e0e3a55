import { writeFile } from 'node:fs/promises';
import type { JiraPayloadFor } from '../../boards/jira/index.js';
import type { Config } from '../../config/config.js';
import { agentPayloads } from './github-payload.js';

/** The prompt for a Jira issue: its key, summary, link and description (ADF as text), nothing run. */
export function jiraPrompt(issue: { key: string; title: string; url: string; body: string }): string {
  const text = issue.body.trimEnd();
  return [
    'Resolve the following Jira issue in this repository.',
    '',
    `# ${issue.key}: ${issue.title.replace(/\s+/g, ' ').trim()}`,
    '',
    `URL: ${issue.url}`,
    '',
    text === '' ? '(The issue has no description.)' : text,
    '',
  ].join('\n');
}

/**
 * The executor payload for a Jira issue, as githubPayloads for GitHub: from the configuration only;
 * the issue is data in files (body.md, prompt.md), never a command line.
 */
export function jiraPayloads(config: Pick<Config, 'executor'>): JiraPayloadFor {
  return agentPayloads(config, (issue, files) => writeFile(files.promptFile, jiraPrompt(issue)));
}
