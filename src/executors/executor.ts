import type { TaskPayload } from '../core/payload.js';

/** Everything an executor learns about the attempt it runs. */
export interface ExecutionRequest {
  taskId: string;
  title: string;
  attempt: number;
  /** Fencing token of the claim (CODEX_MONITOR_EPOCH). */
  epoch: number;
  ownerId: string;
  payload: TaskPayload;
  /** Where stdout, stderr and result.json of this attempt go (created by the executor). */
  artifactsDir: string;
  /** Extra environment for the attempt (e.g. the issue number and a body file on GitHub). */
  env?: Record<string, string>;
  /** The attempt's prepared working directory (a git worktree); default: a fresh empty one. */
  workdir?: string;
}

export interface ExecutionResult {
  /** complete: succeeded; failed: counts against the retry budget; aborted: stopped by the signal. */
  outcome: 'complete' | 'failed' | 'aborted';
  /** Why it failed, in one line a human can act on. */
  error?: string;
  exitCode?: number | null;
  durationMs: number;
}

export interface ExecutionHooks {
  /** Told the process (group leader) once a child process started: for orphan cleanup. */
  onSpawn?(pid: number): void;
}

/** Runs one attempt. Must settle promptly (within its kill grace) once `signal` aborts. */
export interface Executor {
  run(request: ExecutionRequest, signal: AbortSignal, hooks?: ExecutionHooks): Promise<ExecutionResult>;
}
