/**
 * The environment an attempt's process sees: an allow-list, never the daemon's environment
 * minus what looks secret. The command runs code from an issue's repository; the daemon's
 * credentials (GITHUB_TOKEN writes the claim ledger) and whatever else its environment holds
 * (cloud keys, database passwords, GITHUB_PAT, ...) must not reach it. Names that do not look
 * secret can still be (`DATABASE_URL=postgres://u:pw@…`), so nothing is passed by guesswork.
 */
import { dirname } from 'node:path';
import { withoutNulBytes } from '../../core/env-values.js';
import type { ExecutionRequest } from '../executor.js';

/** What a program needs to run as the user in a sane locale; none of it is a credential. */
const BASE_NAMES = new Set(['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'TERM', 'TMPDIR', 'LANG', 'TZ']);

/** Whether `name` is passed on from the daemon's environment without being asked for. */
export function isBaseName(name: string): boolean {
  return BASE_NAMES.has(name) || name.startsWith('LC_');
}

/**
 * Builds the child's environment, in this order (later wins): the base names and the
 * `passthrough` names (EXECUTOR_ENV_PASSTHROUGH, e.g. OPENAI_API_KEY for the codex preset)
 * that `base` holds, the CODEX_MONITOR_* variables of the attempt (and, with a workspace,
 * GIT_CEILING_DIRECTORIES above it), `request.env`. The
 * daemon's own CODEX_MONITOR_* settings are not passed on: only what describes the attempt.
 */
export function attemptEnvironment(
  request: ExecutionRequest,
  base: NodeJS.ProcessEnv,
  passthrough: readonly string[] = [],
  workspace?: string,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value !== undefined && (isBaseName(name) || passthrough.includes(name))) env[name] = value;
  }
  Object.assign(env, {
    CODEX_MONITOR_TASK_ID: request.taskId,
    CODEX_MONITOR_TASK_TITLE: request.title,
    CODEX_MONITOR_ATTEMPT: String(request.attempt),
    CODEX_MONITOR_EPOCH: String(request.epoch),
    CODEX_MONITOR_OWNER: request.ownerId,
    CODEX_MONITOR_ARTIFACTS_DIR: request.artifactsDir,
    ...(workspace === undefined
      ? {}
      : {
          CODEX_MONITOR_WORKSPACE: workspace,
          // The workspace may lie inside the user's checkout (the state directory does by
          // default): git run there must not find and change that repository.
          GIT_CEILING_DIRECTORIES: dirname(workspace),
        }),
  });
  return withoutNulBytes(Object.assign(env, request.env ?? {}));
}
