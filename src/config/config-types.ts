import type { LogLevel } from '../core/logger.js';
import type { GitHubAppConfig } from './github-app-config.js';
import type { JiraConfig } from './jira-config.js';
import type { NotifyConfig } from './notify-config.js';
import type { ProjectConfig } from './project-config.js';
import type { WorkspaceConfig } from './workspace-config.js';

/** The validated, typed configuration. The core receives this, never `process.env`. */
export interface Config {
  sharedState: {
    enabled: boolean;
    heartbeatIntervalMs: number;
    staleThresholdMs: number;
    renewDeadlineMs: number;
    maxRetries: number;
    backoffBaseMs: number;
    backoffMaxMs: number;
    ownerStaleTtlMs: number;
  };
  github: {
    token: string | undefined;
    /** Where the token came from: GITHUB_TOKEN, or `gh auth token` when that was unset. */
    tokenSource: TokenSource | undefined;
    /** A GitHub App installation instead of the token (never both). */
    app: GitHubAppConfig | undefined;
    repository: { owner: string; repo: string } | undefined;
    apiUrl: string;
    paceWrites: boolean;
    /** ISSUE_FULL_RESYNC_MS: period of the full listing of open issues. */
    fullResyncMs: number;
    taskLabels: string[];
    trustedAssociations: string[];
    priorityLabels: Record<string, number>;
    /** GITHUB_PROJECT: the project whose status column follows each issue; undefined: none. */
    project: ProjectConfig | undefined;
  };
  /** Who writes state comments and what they publish. */
  stateComment: { logins: string[]; publishErrors: boolean };
  agent: string | undefined;
  ownerId: string;
  stateDir: string;
  maxParallel: number;
  pollIntervalMs: number;
  localPollIntervalMs: number;
  logLevel: LogLevel;
  /** LOG_LEVEL was set (not defaulted): a terminal run keeps to warnings unless it was. */
  logLevelSet: boolean;
  events: { maxEvents: number; retentionDays: number };
  executor: {
    kind: 'noop' | 'shell' | 'codex' | 'claude' | 'gemini' | 'opencode' | 'aider' | 'custom';
    command: string | undefined;
    /** EXECUTOR_PROMPT: how EXECUTOR=custom gets the prompt (`stdin`, `file-flag:<flag>`). */
    prompt: string;
    allowlist: string[];
    /** EXECUTOR_ENV_PASSTHROUGH: names passed on to attempts beyond the base allow-list. */
    envPassthrough: string[];
    timeoutMs: number;
    killGraceMs: number;
  };
  /** Where attempts run, and how a completed one is delivered (branch, pull request). */
  workspace: WorkspaceConfig;
  /** Webhooks and Telegram, and the events that notify. */
  notify: NotifyConfig;
  /** The Jira board (JIRA_BASE_URL); undefined: GitHub issues or the local board. */
  jira: JiraConfig | undefined;
  shutdownGraceMs: number;
  clockOffsetMs: number;
  /** `serve` and `run --serve`. */
  serve: { host: string; port: number; token: string | undefined; allowActions: boolean };
  /** Reviewing the fleet's pull requests (GitHub): off while `executor` is undefined. */
  review: { executor: ReviewExecutorKind | undefined; command: string | undefined; maxRounds: number };
}

export type ReviewExecutorKind = 'shell' | 'codex' | 'claude' | 'gemini' | 'opencode' | 'aider' | 'custom';

export type TokenSource = 'GITHUB_TOKEN' | 'gh auth token';
