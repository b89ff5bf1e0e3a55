/**
 * The agent CLI presets (`EXECUTOR=codex|claude|gemini|opencode|aider`): for each CLI its
 * non-interactive command, its default flags, and how it takes the prompt without the prompt
 * on its command line. Issue text is untrusted: on argv it could turn into flags, and `ps`
 * shows argv to every user of the machine. So a preset's argv holds fixed words only, and the
 * prompt reaches the CLI on stdin (a regular file, which gives the EOF the CLIs wait for) or,
 * where a CLI cannot read stdin, as a file whose path (ours, not the text) follows a flag.
 *
 * Sources, checked 2026:
 * - codex: `codex exec [OPTIONS] [PROMPT]`; "If not provided as an argument (or if `-` is
 *   used), instructions are read from stdin" (openai/codex, codex-rs/exec/src/cli.rs, the
 *   PROMPT argument's doc). `codex exec` runs in a read-only sandbox by default; edits need
 *   `--sandbox workspace-write` (developers.openai.com/codex/noninteractive, which also calls
 *   `--full-auto` deprecated). It refuses to run outside a git repository unless given
 *   `--skip-git-repo-check`, and an attempt's own workspace is not one unless it is a worktree.
 * - claude: `-p`/`--print` runs non-interactively and prints the response
 *   (docs.anthropic.com/en/docs/claude-code/cli-reference; `cat file | claude -p "query"`).
 *   With no prompt argument, stdin is the prompt: the SDK page's example
 *   `echo "Explain this code" | claude -p` (docs.anthropic.com/en/docs/claude-code/sdk, 2025).
 *   `--permission-mode acceptEdits` (code.claude.com/docs/en/permission-modes) lets it edit
 *   files unattended; which shell commands it may run then is uncertain (nobody can approve a
 *   prompt in print mode): grant more through flags (`--allowedTools`).
 * - gemini (Gemini CLI): headless "when the CLI is run in a non-TTY environment or when
 *   providing a query with -p" (google-gemini/gemini-cli, docs/cli/headless.md); with stdin
 *   not a TTY it reads stdin (up to 8 MB) and, without `-p`, stdin alone is the prompt
 *   (packages/cli/src/gemini.tsx, `readStdin`; "No input provided via stdin" otherwise).
 *   `--approval-mode auto_edit` "auto-approve[s] edit tools" (packages/cli/src/config/
 *   config.ts, the option's choices default|auto_edit|yolo|plan). `--sandbox=false`: when a
 *   sandbox is on, gemini relaunches itself in the container with stdin moved into
 *   `--prompt <text>` on the relaunched command line (gemini.tsx, `injectStdinIntoArgs`),
 *   which is exactly what this module avoids; GEMINI_SANDBOX, which would override the flag,
 *   is not passed to attempts unless named in EXECUTOR_ENV_PASSTHROUGH: do not name it.
 *   With `security.folderTrust.enabled` (off by default, docs/cli/trusted-folders.md) an
 *   untrusted folder forces the default approval mode; add `--skip-trust` then.
 * - opencode: `opencode run [message..]` "run opencode with a message", non-interactive by
 *   default; with stdin not a TTY it reads stdin to EOF and, without a message argument,
 *   that is the message (anomalyco/opencode, formerly sst/opencode,
 *   packages/opencode/src/cli/cmd/run.ts: `Bun.stdin.text()`, `resolveRunInput`). Permission
 *   requests that opencode.json sets to "ask" are rejected in run mode unless `--auto`
 *   (same file; opencode.ai/docs/permissions): the preset passes nothing, so the project's
 *   own permission config decides. opencode takes its root from `PWD` if set; attempts get
 *   no PWD, so it is their working directory.
 * - aider: has no stdin prompt; `--message-file MESSAGE_FILE` / `-f`: "a file containing the
 *   message to send the LLM, process reply, then exit (disables chat mode)" (Aider-AI/aider,
 *   aider/args.py; aider.chat/docs/scripting.html). So the prompt file's path — a path this
 *   daemon chose, never issue text — follows `--message-file`. `--yes-always` answers its
 *   confirmations (add files, create a repository) but still refuses to run shell commands
 *   the model proposes (aider/coders/base_coder.py asks with explicit_yes_required=True).
 *
 * Credentials: attempts get an allow-listed environment (shell/environment.ts), so a CLI's
 * own keys reach it only when named in EXECUTOR_ENV_PASSTHROUGH (HOME is passed, so logins
 * stored under it work):
 * - codex: OPENAI_API_KEY (or CODEX_API_KEY), or a `codex login` under `$CODEX_HOME` (~/.codex).
 * - claude: ANTHROPIC_API_KEY or CLAUDE_CODE_OAUTH_TOKEN, or a login under ~/.claude.
 * - gemini: GEMINI_API_KEY; for Vertex AI GOOGLE_API_KEY or GOOGLE_APPLICATION_CREDENTIALS with
 *   GOOGLE_CLOUD_PROJECT, GOOGLE_CLOUD_LOCATION and GOOGLE_GENAI_USE_VERTEXAI; or a cached login
 *   under ~/.gemini (docs/get-started/authentication.mdx, "Running in headless mode").
 * - opencode: the provider's own variable (ANTHROPIC_API_KEY, OPENAI_API_KEY, ...) or an
 *   `opencode auth login` stored under ~/.local/share/opencode.
 * - aider: the provider's variable (OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY, ...)
 *   (aider.chat/docs/config/api-keys.html), or its .env / .aider.conf.yml files.
 */

/** How a CLI gets the prompt file: on stdin, or its path after a flag. */
export type PromptDelivery =
  | { kind: 'stdin' }
  /** `--flag <path>` (two words), or `--flag=<path>` (one word) when `joined`. */
  | { kind: 'file-flag'; flag: string; joined: boolean };

export interface PresetSpec {
  /** The fixed start of argv: the program and its non-interactive subcommand or flag. */
  command: readonly string[];
  /** Default flags after `command`; replaced by the caller's flags when given. */
  flags: readonly string[];
  prompt: PromptDelivery;
  /** Words after the flags (codex's `-`: read stdin). */
  tail?: readonly string[];
}

export const AGENT_PRESETS = ['codex', 'claude', 'gemini', 'opencode', 'aider'] as const;
export type AgentPreset = (typeof AGENT_PRESETS)[number];

const STDIN: PromptDelivery = { kind: 'stdin' };

export const PRESETS: Record<AgentPreset, PresetSpec> = {
  // codex reads stdin only without a prompt argument or with `-`: say it explicitly.
  codex: {
    command: ['codex', 'exec'],
    flags: ['--sandbox', 'workspace-write', '--skip-git-repo-check'],
    prompt: STDIN,
    tail: ['-'],
  },
  // claude takes no positional at all, so no variadic flag (--allowedTools) can swallow one.
  claude: { command: ['claude', '-p'], flags: ['--permission-mode', 'acceptEdits'], prompt: STDIN },
  gemini: { command: ['gemini'], flags: ['--approval-mode', 'auto_edit', '--sandbox=false'], prompt: STDIN },
  opencode: { command: ['opencode', 'run'], flags: [], prompt: STDIN },
  aider: {
    command: ['aider'],
    flags: ['--yes-always'],
    prompt: { kind: 'file-flag', flag: '--message-file', joined: false },
  },
};
