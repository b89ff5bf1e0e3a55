import type { PayloadFor } from '../../boards/github/index.js';
import type { Config } from '../../config/config.js';
import { agentPayload, buildPrompt } from '../../executors/agent-presets.js';

/**
 * The executor payload for an issue on the GitHub board: from the configuration only; the
 * issue is data in files (its body, and the prompt built from it), never a command line.
 */
export function githubPayloads(config: Pick<Config, 'executor'>): PayloadFor {
  return async (issue, files) => {
    const { kind, command, timeoutMs } = config.executor;
    switch (kind) {
      case 'noop':
        return { kind: 'noop' };
      case 'shell':
        return { kind: 'shell', cmd: command ?? 'false', timeoutMs };
      case 'codex':
      case 'claude':
        await buildPrompt(
          { number: issue.number, title: issue.title, url: issue.url, bodyFile: files.bodyFile },
          files.promptFile,
        );
        return agentPayload({ preset: kind, promptFile: files.promptFile, timeoutMs });
    }
  };
}
