/**
 * Rules across variables (heartbeat against stale threshold, backoff bounds, credentials an
 * agent must never get, …): each broken rule is one problem naming the values and what to do.
 */
import { authProblems } from './github-app-config.js';

/** The daemon's own credentials (GitHub, notification targets): never passed through to an agent. */
const DAEMON_CREDENTIALS = [
  'GITHUB_TOKEN',
  'GH_TOKEN',
  'CODEX_MONITOR_GITHUB_TOKEN',
  'GITHUB_APP_PRIVATE_KEY',
  'GITHUB_APP_PRIVATE_KEY_FILE',
  'NOTIFY_WEBHOOK_URL',
  'NOTIFY_TELEGRAM_TOKEN',
  'JIRA_API_TOKEN',
  'JIRA_BEARER_TOKEN',
];

export interface InvariantInputs {
  heartbeat: number | undefined;
  stale: number | undefined;
  renewDeadline: number | undefined;
  ownerTtl: number | undefined;
  backoffBase: number | undefined;
  backoffMax: number | undefined;
  token: string | undefined;
  /** A GitHub App is configured (wholly or in part: its own problems are reported apart). */
  app: boolean;
  repository: string | undefined;
  passthrough: string[];
  sharedStateEnabled: boolean | undefined;
  pushWithToken: boolean | undefined;
}

/** Cross-variable rules. A rule is skipped when one of its inputs is itself invalid. */
export function checkInvariants(problems: string[], v: InvariantInputs): void {
  const { heartbeat, stale, renewDeadline, ownerTtl } = v;
  // The original shipped heartbeat == stale threshold, so live tasks looked stale between
  // renewals. Two missed heartbeats must fit before an owner is judged stale.
  if (heartbeat !== undefined && stale !== undefined && heartbeat * 2 > stale) {
    problems.push(
      `SHARED_STATE_HEARTBEAT_INTERVAL_MS=${heartbeat} must be at most half of SHARED_STATE_STALE_THRESHOLD_MS=${stale}, ` +
        'or live owners look stale between heartbeats',
    );
  }
  if (heartbeat !== undefined && stale !== undefined && renewDeadline !== undefined) {
    if (renewDeadline <= heartbeat || renewDeadline >= stale) {
      problems.push(
        `SHARED_STATE_RENEW_DEADLINE_MS=${renewDeadline} must lie between the heartbeat interval (${heartbeat}) ` +
          `and the stale threshold (${stale}): an owner must fence itself before others may take over`,
      );
    }
  }
  if (stale !== undefined && ownerTtl !== undefined && ownerTtl < stale) {
    problems.push(
      `TASK_CLAIM_OWNER_STALE_TTL_MS=${ownerTtl} must be at least SHARED_STATE_STALE_THRESHOLD_MS=${stale}`,
    );
  }
  if (v.backoffBase !== undefined && v.backoffMax !== undefined && v.backoffMax < v.backoffBase) {
    problems.push(
      `SHARED_STATE_BACKOFF_MAX_MS=${v.backoffMax} must be at least SHARED_STATE_BACKOFF_BASE_MS=${v.backoffBase}`,
    );
  }
  // The original could run without shared state (each checkout claiming on its own). Here the
  // shared state is the claim authority: without it nothing stops two daemons working one
  // task. A documented setting is never silently ignored, so `false` is refused.
  if (v.sharedStateEnabled === false) {
    problems.push(
      'SHARED_STATE_ENABLED=false is not supported: the shared state (local SQLite, and the ref ledger on GitHub) ' +
        'is what makes a claim atomic, so it cannot be turned off. Remove the variable or set it to true',
    );
  }
  authProblems(problems, v);
  // The daemon's own credentials write the claim ledger: an agent must never hold them.
  const credential = v.passthrough.find((name) => DAEMON_CREDENTIALS.includes(name.toUpperCase()));
  if (credential !== undefined) {
    problems.push(
      `EXECUTOR_ENV_PASSTHROUGH names ${credential}, the daemon's own ${credential.toUpperCase().startsWith('NOTIFY_') ? 'notification secret' : 'GitHub credential'}: remove it ` +
        '(an agent that needs GitHub access gets a token of its own under another name)',
    );
  }
}

/**
 * The executor's own rule, apart from the others: `doctor` reports it as one of its findings
 * (it can check everything else without an executor) while `run` refuses to start without one.
 */
export function executorProblems(v: {
  repository: string | undefined;
  executor: string | undefined;
  command: string | undefined;
}): string[] {
  if (v.repository !== undefined && v.executor === 'shell' && v.command === undefined) {
    return [
      'EXECUTOR=shell on the GitHub board needs EXECUTOR_COMMAND (the command run for every issue; ' +
        'issue text never becomes part of it), or a preset: EXECUTOR=codex, claude, gemini, opencode or aider (or noop, to try the board). ' +
        "For example EXECUTOR_COMMAND='node agent.mjs' in .env (its program must be in EXECUTOR_ALLOWLIST; " +
        'the issue text is in the file CODEX_MONITOR_ISSUE_BODY_FILE names), or EXECUTOR=codex to run the codex CLI',
    ];
  }
  if (v.executor === 'custom' && v.command === undefined) {
    return [
      'EXECUTOR=custom needs EXECUTOR_COMMAND: the agent CLI and its fixed arguments (the prompt is never one of them), ' +
        "e.g. EXECUTOR_COMMAND='my-agent --non-interactive' with EXECUTOR_PROMPT=stdin (the prompt file on stdin) " +
        'or EXECUTOR_PROMPT=file-flag:--message-file (its path after that flag); the program must be in EXECUTOR_ALLOWLIST',
    ];
  }
  return [];
}
