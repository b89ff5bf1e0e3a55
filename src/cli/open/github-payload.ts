import type { PayloadFor } from '../../boards/github/index.js';
import type { Config } from '../../config/config.js';
import type { TaskPayload } from '../../core/payload.js';
import {
  type AgentPreset,
  agentPayload,
  buildPrompt,
  customPreset,
  type PresetSpec,
} from '../../executors/index.js';

/**
 * The executor payload for an issue on the GitHub board: from the configuration only; the
 * issue is data in files (its body, and the prompt built from it), never a command line.
 * EXECUTOR=custom is read here, once: a malformed one refuses to open the board (ConfigError
 * naming EXECUTOR_COMMAND or EXECUTOR_PROMPT) rather than failing every attempt.
 */
export function githubPayloads(config: Pick<Config, 'executor'>): PayloadFor {
  return agentPayloads(config, (issue, files) =>
    buildPrompt(
      {
        number: issue.number,
        title: issue.title,
        url: issue.url,
        bodyFile: files.bodyFile,
        ...(files.reviewFile ? { reviewFile: files.reviewFile } : {}),
      },
      files.promptFile,
    ),
  );
}

/**
 * The payload an issue of any remote board gets from the configuration: noop, the shell
 * command, or the agent preset reading the prompt `writePrompt` puts in `files.promptFile`.
 */
export function agentPayloads<Issue, Files extends { promptFile: string }>(
  config: Pick<Config, 'executor'>,
  writePrompt: (issue: Issue, files: Files) => Promise<unknown>,
): (issue: Issue, files: Files) => Promise<TaskPayload> {
  const { kind, command, timeoutMs } = config.executor;
  const preset = agentPresetOf(config);
  return async (issue, files) => {
    if (kind === 'noop') return { kind: 'noop' };
    if (kind === 'shell' || preset === undefined)
      return { kind: 'shell', cmd: command ?? 'false', timeoutMs };
    await writePrompt(issue, files);
    return agentPayload({ preset, promptFile: files.promptFile, timeoutMs });
  };
}

/** The configured agent preset (EXECUTOR), or undefined for noop and shell; read once per board. */
export function agentPresetOf(config: Pick<Config, 'executor'>): AgentPreset | PresetSpec | undefined {
  const { kind, command } = config.executor;
  if (kind === 'noop' || kind === 'shell') return undefined;
  return kind === 'custom' ? customPreset(command, config.executor.prompt) : kind;
}
