/**
 * The environment an attempt's process sees: the daemon's own, without its secrets, plus
 * what the attempt is (CODEX_MONITOR_*) and what the caller adds for it.
 */
import { withoutNulBytes } from '../core/env-values.js';
import type { ExecutionRequest } from './executor.js';

/**
 * Names never passed on from the base environment: GITHUB_TOKEN, GH_TOKEN and any name
 * ending in _TOKEN (case-insensitive: CODEX_MONITOR_GITHUB_TOKEN, NPM_TOKEN, ...). The
 * command runs code from an issue's repository, so the daemon's credentials (which can write
 * the claim ledger) must not reach it. A token an attempt does need is passed on purpose via
 * `keep` (e.g. CLAUDE_CODE_OAUTH_TOKEN for the claude preset) or `request.env`.
 */
export function isSecretName(name: string): boolean {
  // GITHUB_TOKEN and GH_TOKEN are named for emphasis: the suffix rule covers them.
  return /_TOKEN$/i.test(name);
}

/**
 * Builds the child's environment, in this order (later wins): `base` minus secrets (except
 * the names in `keep`), the CODEX_MONITOR_* variables, `request.env`.
 */
export function attemptEnvironment(
  request: ExecutionRequest,
  base: NodeJS.ProcessEnv,
  keep: readonly string[] = [],
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value === undefined) continue;
    if (isSecretName(name) && !keep.includes(name)) continue;
    env[name] = value;
  }
  Object.assign(env, {
    CODEX_MONITOR_TASK_ID: request.taskId,
    CODEX_MONITOR_TASK_TITLE: request.title,
    CODEX_MONITOR_ATTEMPT: String(request.attempt),
    CODEX_MONITOR_EPOCH: String(request.epoch),
    CODEX_MONITOR_OWNER: request.ownerId,
    CODEX_MONITOR_ARTIFACTS_DIR: request.artifactsDir,
  });
  return withoutNulBytes(Object.assign(env, request.env ?? {}));
}
