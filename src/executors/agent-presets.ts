/**
 * Agent CLI presets (`EXECUTOR=codex|claude`): shell payloads that run a coding agent
 * non-interactively on a GitHub issue.
 *
 * Issue text is untrusted: it never becomes part of a command line (where it could turn into
 * flags, and where `ps` shows it to every user of the machine). The prompt is written to a
 * file and given to the CLI on stdin; argv holds only fixed words from this module and the
 * configuration.
 *
 * How each CLI takes a prompt on stdin (checked 2026, against these sources):
 * - codex: `codex exec [OPTIONS] [PROMPT]`; "If not provided as an argument (or if `-` is
 *   used), instructions are read from stdin" (openai/codex, codex-rs/exec/src/cli.rs, the
 *   PROMPT argument's doc). `codex exec` runs in a read-only sandbox by default; edits need
 *   `--sandbox workspace-write` (developers.openai.com/codex/noninteractive, which also calls
 *   `--full-auto` deprecated). A regular file on stdin gives the EOF `codex exec` waits for.
 * - claude: `-p`/`--print` runs non-interactively and prints the response
 *   (docs.anthropic.com/en/docs/claude-code/cli-reference; `cat file | claude -p "query"`).
 *   With no prompt argument, stdin is the prompt: the SDK page's example
 *   `echo "Explain this code" | claude -p` (docs.anthropic.com/en/docs/claude-code/sdk, 2025),
 *   and print mode errors "Input must be provided either through stdin or as a prompt
 *   argument" only when both are missing. `--permission-mode acceptEdits` (values listed at
 *   code.claude.com/docs/en/permission-modes) lets it edit files unattended. Uncertain: which
 *   shell commands it may run then, since nobody can approve a prompt in print mode; grant
 *   more through `flags` (e.g. `--allowedTools`) and re-check with `claude --help` on upgrades.
 *
 * Where attempts run: each in a fresh directory of its own (CODEX_MONITOR_WORKSPACE), which is
 * not a git repository until attempts get worktrees, and `codex exec` refuses to run outside
 * one unless given `--skip-git-repo-check` — so the codex preset passes it.
 *
 * Credentials: an attempt gets an allow-listed environment (environment.ts), so the CLIs' own
 * keys reach them only when the user names them in EXECUTOR_ENV_PASSTHROUGH. Before, every
 * `*_TOKEN` was stripped and nothing was kept (`keep` was never set by the presets), so
 * `CLAUDE_CODE_OAUTH_TOKEN` never reached claude while every `*_KEY` reached both.
 * - codex: `OPENAI_API_KEY` (or `CODEX_API_KEY`, which `codex exec` reads), or nothing if
 *   `codex login` stored the credential under `$CODEX_HOME` (default `~/.codex`; HOME is passed).
 * - claude: `ANTHROPIC_API_KEY` or `CLAUDE_CODE_OAUTH_TOKEN` (from `claude setup-token`), or
 *   nothing if a login is stored under `~/.claude`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { InputError } from '../core/errors.js';
import type { ShellPayload } from '../core/payload.js';

export type AgentPreset = 'codex' | 'claude';

/** The fixed part of each preset's argv; `flags` go after it. */
const COMMANDS: Record<AgentPreset, readonly string[]> = {
  codex: ['codex', 'exec'],
  claude: ['claude', '-p'],
};

/** Default flags: allow edits in the attempt's workspace, nothing broader. */
export const DEFAULT_AGENT_FLAGS: Record<AgentPreset, readonly string[]> = {
  codex: ['--sandbox', 'workspace-write', '--skip-git-repo-check'],
  claude: ['--permission-mode', 'acceptEdits'],
};

export interface AgentPresetOptions {
  preset: AgentPreset;
  /** The prompt (see `buildPrompt`), fed to the CLI on stdin. */
  promptFile: string;
  timeoutMs?: number;
  /** Replaces the preset's default flags; from the configuration, never from issue text. */
  flags?: readonly string[];
}

/** A shell payload running the agent CLI with the prompt file on stdin. */
export function agentPayload(options: AgentPresetOptions): ShellPayload {
  const flags = options.flags ?? DEFAULT_AGENT_FLAGS[options.preset];
  // codex reads stdin only without a prompt argument or with `-`: say it explicitly.
  // claude takes no positional at all, so no variadic flag (--allowedTools) can swallow one.
  const tail = options.preset === 'codex' ? ['-'] : [];
  return {
    kind: 'shell',
    cmd: [...COMMANDS[options.preset], ...flags, ...tail],
    stdinFile: options.promptFile,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  };
}

export interface IssueForPrompt {
  number: number;
  title: string;
  url: string;
  /** A file holding the issue body as written (Markdown). */
  bodyFile: string;
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
export function formatPrompt(issue: Omit<IssueForPrompt, 'bodyFile'>, body: string): string {
  const title = issue.title.replace(/\s+/g, ' ').trim();
  const text = body.trimEnd();
  return [
    'Resolve the following GitHub issue in this repository.',
    '',
    `# Issue #${issue.number}: ${title}`,
    '',
    `URL: ${issue.url}`,
    '',
    text === '' ? '(The issue has no description.)' : text,
    '',
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
  await writeFile(promptFile, formatPrompt(issue, body));
  return promptFile;
}
