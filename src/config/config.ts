import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { redactUrl } from '../core/redact.js';
import { checkInvariants, executorProblems } from './config-invariants.js';
import type { Config, TokenSource } from './config-types.js';
import { githubAppConfig } from './github-app-config.js';
import { GITHUB_APP_VARIABLES } from './github-app-variables.js';
import { jiraConfig } from './jira-config.js';
import { notifyConfig } from './notify-config.js';
import { projectConfig } from './project-config.js';
import { VARIABLES, type VariableName } from './variables.js';
import { workspaceConfig } from './workspace-config.js';

export type { Config, ReviewExecutorKind, TokenSource } from './config-types.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface LoadOptions {
  cwd?: string;
  host?: string;
  /**
   * A token when GITHUB_TOKEN and a GitHub App are unset on the GitHub board (the CLI asks
   * `gh auth token`). Called at most once; it is kept in the config only, never in the
   * environment agents inherit.
   */
  fallbackToken?: () => string | undefined;
  /**
   * Receives the executor's problem (EXECUTOR=shell without EXECUTOR_COMMAND on GitHub)
   * instead of refusing the configuration: `doctor` reports it as one of its findings.
   */
  onExecutorProblem?: (problem: string) => void;
}

/**
 * Validates every variable and every invariant, then reports all problems at once:
 * one run tells the user everything to fix.
 */
export function loadConfig(env: Env, options: LoadOptions = {}): Config {
  const problems: string[] = [];
  const values = new Map<VariableName, unknown>();

  for (const spec of VARIABLES) {
    const given = env[spec.name];
    const raw = given === undefined || given.trim() === '' ? (spec as { default?: string }).default : given;
    if (raw === undefined) continue;
    const parsed = spec.schema.safeParse(raw);
    if (parsed.success) values.set(spec.name, parsed.data);
    // A value may be a URL with credentials in it: never print those.
    else problems.push(`${spec.name}=${redactUrl(JSON.stringify(raw))}: expected ${spec.expected}`);
  }

  const get = <T>(name: VariableName) => values.get(name) as T;
  const appGiven = GITHUB_APP_VARIABLES.some(({ name }) => (env[name] ?? '').trim() !== '');
  const tokenSource = fallbackToken(values, appGiven, options.fallbackToken);
  const app = githubAppConfig(get, problems, {
    cwd: options.cwd ?? process.cwd(),
    given: (name) => (env[name] ?? '').trim() !== '',
  });
  const heartbeat = get<number>('SHARED_STATE_HEARTBEAT_INTERVAL_MS');
  const stale = get<number>('SHARED_STATE_STALE_THRESHOLD_MS');
  // Default: halfway between a heartbeat and the stale threshold, valid whenever they are.
  const renewDeadline =
    get<number | undefined>('SHARED_STATE_RENEW_DEADLINE_MS') ??
    (stale === undefined || heartbeat === undefined ? undefined : Math.floor((heartbeat + stale) / 2));
  checkInvariants(problems, {
    heartbeat,
    stale,
    // A derived deadline is valid whenever heartbeat < stale: only judge one the user set.
    renewDeadline: get<number | undefined>('SHARED_STATE_RENEW_DEADLINE_MS'),
    ownerTtl: get<number>('TASK_CLAIM_OWNER_STALE_TTL_MS'),
    backoffBase: get<number>('SHARED_STATE_BACKOFF_BASE_MS'),
    backoffMax: get<number>('SHARED_STATE_BACKOFF_MAX_MS'),
    token: get<string | undefined>('GITHUB_TOKEN'),
    app: appGiven,
    repository: get<string | undefined>('GITHUB_REPOSITORY'),
    passthrough: list(get('EXECUTOR_ENV_PASSTHROUGH')),
    sharedStateEnabled: get<boolean | undefined>('SHARED_STATE_ENABLED'),
    pushWithToken: get<boolean | undefined>('GIT_PUSH_WITH_TOKEN'),
  });

  const executor = executorProblems({
    repository: get<string | undefined>('GITHUB_REPOSITORY'),
    executor: get<string | undefined>('EXECUTOR'),
    command: get<string | undefined>('EXECUTOR_COMMAND'),
  });
  const notify = notifyConfig(get, problems);
  const priorityLabels = Object.fromEntries(
    list(get('CODEX_MONITOR_PRIORITY_LABELS')).map((pair) => {
      const at = pair.lastIndexOf('=');
      return [pair.slice(0, at).trim(), Number(pair.slice(at + 1))];
    }),
  );
  const jira = jiraConfig(get, problems, { ledgerRemote: get('LEDGER_REMOTE'), priorityLabels });
  const project = projectConfig(get, problems);
  if (options.onExecutorProblem) executor.forEach(options.onExecutorProblem);
  else problems.push(...executor);
  if (problems.length > 0) throw new ConfigError(problems);

  const repository = get<string | undefined>('GITHUB_REPOSITORY');
  const agent = get<string | undefined>('CODEX_MONITOR_AGENT');
  const [owner, repo] = repository?.split('/') ?? [];
  return {
    sharedState: {
      enabled: get('SHARED_STATE_ENABLED'),
      heartbeatIntervalMs: heartbeat,
      staleThresholdMs: stale,
      renewDeadlineMs: renewDeadline as number,
      maxRetries: get('SHARED_STATE_MAX_RETRIES'),
      backoffBaseMs: get('SHARED_STATE_BACKOFF_BASE_MS'),
      backoffMaxMs: get('SHARED_STATE_BACKOFF_MAX_MS'),
      ownerStaleTtlMs: get('TASK_CLAIM_OWNER_STALE_TTL_MS'),
    },
    github: {
      token: get('GITHUB_TOKEN'),
      tokenSource,
      app,
      repository: owner && repo ? { owner, repo } : undefined,
      apiUrl: get<string>('GITHUB_API_URL').replace(/\/+$/, ''),
      paceWrites: get('GITHUB_PACE_WRITES'),
      fullResyncMs: get('ISSUE_FULL_RESYNC_MS'),
      taskLabels: list(get('CODEX_MONITOR_TASK_LABELS')),
      trustedAssociations: list(get('CODEX_MONITOR_TRUSTED_ASSOCIATIONS')),
      priorityLabels,
      project,
    },
    stateComment: {
      logins: list(get('CODEX_MONITOR_STATE_COMMENT_LOGINS')),
      publishErrors: get('CODEX_MONITOR_PUBLISH_ERRORS'),
    },
    agent,
    ownerId:
      get<string | undefined>('CODEX_MONITOR_OWNER_ID') ?? `${options.host ?? hostname()}/${agent ?? 'any'}`,
    stateDir: resolve(options.cwd ?? process.cwd(), get<string>('CODEX_MONITOR_STATE_DIR')),
    maxParallel: get('MAX_PARALLEL'),
    pollIntervalMs: get('POLL_INTERVAL_MS'),
    localPollIntervalMs: get('LOCAL_POLL_INTERVAL_MS'),
    logLevel: get('LOG_LEVEL'),
    logLevelSet: Boolean(env.LOG_LEVEL),
    events: { maxEvents: get('EVENT_LOG_MAX_EVENTS'), retentionDays: get('EVENT_LOG_RETENTION_DAYS') },
    executor: {
      kind: get('EXECUTOR'),
      command: get('EXECUTOR_COMMAND'),
      prompt: get('EXECUTOR_PROMPT'),
      allowlist: list(get('EXECUTOR_ALLOWLIST')),
      envPassthrough: list(get('EXECUTOR_ENV_PASSTHROUGH')),
      timeoutMs: get('EXECUTOR_TIMEOUT_MS'),
      killGraceMs: get('EXECUTOR_KILL_GRACE_MS'),
    },
    workspace: workspaceConfig(get, list, options.cwd ?? process.cwd()),
    notify,
    jira,
    shutdownGraceMs: get('SHUTDOWN_GRACE_MS'),
    clockOffsetMs: get('CODEX_MONITOR_CLOCK_OFFSET_MS'),
    serve: {
      host: get('SERVE_HOST'),
      port: get('SERVE_PORT'),
      token: get('SERVE_TOKEN'),
      allowActions: get('SERVE_ALLOW_ACTIONS'),
    },
    review: {
      executor: get('REVIEW_EXECUTOR'),
      command: get('REVIEW_COMMAND'),
      maxRounds: get('REVIEW_MAX_ROUNDS'),
    },
  };
}

/**
 * On the GitHub board without GITHUB_TOKEN or an app, the fallback's token (if it has one)
 * stands in for GITHUB_TOKEN. Returns where the token came from.
 */
function fallbackToken(
  values: Map<VariableName, unknown>,
  appGiven: boolean,
  fallback: (() => string | undefined) | undefined,
): TokenSource | undefined {
  if (values.get('GITHUB_TOKEN') !== undefined) return 'GITHUB_TOKEN';
  if (appGiven || values.get('GITHUB_REPOSITORY') === undefined || !fallback) return undefined;
  const token = fallback()?.trim();
  if (!token) return undefined;
  values.set('GITHUB_TOKEN', token);
  return 'gh auth token';
}

/** A comma-separated value as trimmed, non-empty items. */
function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}
