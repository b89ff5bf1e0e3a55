/**
 * Agent CLI presets as shell payloads: a coding agent run non-interactively on a GitHub
 * issue, with the prompt in a file (see preset-table.ts for each CLI and the sources of its
 * flags, custom-preset.ts for EXECUTOR=custom).
 *
 * Issue text is untrusted: it never becomes part of a command line (where it could turn into
 * flags, and where `ps` shows it to every user of the machine). The prompt is written to a
 * file and given to the CLI on stdin, or by that file's path after a flag; argv holds only
 * fixed words from the preset table and the configuration.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { InputError } from '../core/errors.js';
import type { ShellPayload } from '../core/payload.js';
import { type AgentPreset, PRESETS, type PresetSpec } from './preset-table.js';

export { AGENT_PRESETS, type AgentPreset, type PresetSpec, type PromptDelivery } from './preset-table.js';

/** Default flags: allow edits in the attempt's workspace, nothing broader. */
export const DEFAULT_AGENT_FLAGS: Record<AgentPreset, readonly string[]> = Object.fromEntries(
  Object.entries(PRESETS).map(([name, spec]) => [name, spec.flags]),
) as Record<AgentPreset, readonly string[]>;

export interface AgentPresetOptions {
  /** A built-in preset's name, or a preset defined in the configuration (`customPreset`). */
  preset: AgentPreset | PresetSpec;
  /**
   * The prompt (see `buildPrompt`): fed to the CLI on stdin, or its path after the preset's
   * flag. Absolute (the GitHub board's is under the state directory): the CLI runs in the
   * attempt's workspace, where a relative path would name another file.
   */
  promptFile: string;
  timeoutMs?: number;
  /** Replaces the preset's default flags; from the configuration, never from issue text. */
  flags?: readonly string[];
}

/** A shell payload running the agent CLI with the prompt file on stdin or after its flag. */
export function agentPayload(options: AgentPresetOptions): ShellPayload {
  const spec = typeof options.preset === 'string' ? PRESETS[options.preset] : options.preset;
  const argv = [...spec.command, ...(options.flags ?? spec.flags), ...(spec.tail ?? [])];
  const timeout = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };
  const { prompt } = spec;
  if (prompt.kind === 'stdin') return { kind: 'shell', cmd: argv, stdinFile: options.promptFile, ...timeout };
  // The path is ours (the state directory's), not the issue's: safe as a word of argv.
  const path = prompt.joined ? [`${prompt.flag}=${options.promptFile}`] : [prompt.flag, options.promptFile];
  return { kind: 'shell', cmd: [...argv, ...path], ...timeout };
}

export interface IssueForPrompt {
  number: number;
  title: string;
  url: string;
  /** A file holding the issue body as written (Markdown). */
  bodyFile: string;
  /**
   * A file holding the review whose requested changes this attempt makes (propose → verify →
   * apply on GitHub: the same branch and pull request, sent back by a reviewer).
   */
  reviewFile?: string;
}

/**
 * The prompt format, plain Markdown:
 *
 *     Resolve the following GitHub issue in this repository.
 *
 *     # Issue #<number>: <title on one line>
 *
 *     URL: <url>
 *
 *     <body, verbatim, trailing whitespace trimmed>
 */
export function formatPrompt(
  issue: Omit<IssueForPrompt, 'bodyFile' | 'reviewFile'>,
  body: string,
  review?: string,
): string {
  const title = issue.title.replace(/\s+/g, ' ').trim();
  const text = body.trimEnd();
  const answer =
    review === undefined
      ? []
      : [
          '## Changes requested in review',
          '',
          'The branch holds an earlier attempt, which a reviewer sent back. Make the changes it asks for:',
          '',
          review.trimEnd() || '(The review has no text.)',
          '',
        ];
  return [
    'Resolve the following GitHub issue in this repository.',
    '',
    `# Issue #${issue.number}: ${title}`,
    '',
    `URL: ${issue.url}`,
    '',
    text === '' ? '(The issue has no description.)' : text,
    '',
    ...answer,
  ].join('\n');
}

/** Reads the issue body from `issue.bodyFile`, writes the prompt to `promptFile`, returns its path. */
export async function buildPrompt(issue: IssueForPrompt, promptFile: string): Promise<string> {
  let body: string;
  try {
    body = await readFile(issue.bodyFile, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new InputError(`Cannot read the body of issue #${issue.number} from "${issue.bodyFile}": ${code}`);
  }
  const review = issue.reviewFile === undefined ? undefined : await readFile(issue.reviewFile, 'utf8');
  await writeFile(promptFile, formatPrompt(issue, body, review));
  return promptFile;
}
