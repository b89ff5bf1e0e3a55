/**
 * Where an attempt's output is: every executor writes `artifacts/<task>/<epoch>/` under the state
 * directory (stdout.log and stderr.log for a command, result.json once it ended). This finds the
 * attempts of a task on this machine, and when the one asked for is not here says who ran it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AttemptLogElsewhereError, InputError } from '../../core/errors.js';
import { taskDirName } from '../../core/safe-path.js';
import { RESULT_FILE, type ResultRecord } from '../../executors/result-record.js';
import { STDERR_FILE, STDOUT_FILE } from '../../executors/shell/shell.js';
import type { TaskView } from '../../state/tasks/task-rows.js';

/** One attempt whose artifacts are on this machine. */
export interface AttemptLog {
  taskId: string;
  /** The claim's fencing token: one directory per epoch, unique per task. */
  epoch: number;
  /** The attempt number (1 + retries before it); null when nothing here records it. */
  attempt: number | null;
  ownerId: string | null;
  /** As result.json says; `running` while the claim holds; `unfinished` when it ended without one. */
  outcome: ResultRecord['outcome'] | 'running' | 'unfinished';
  dir: string;
  stdout: string;
  stderr: string;
  startedAt: string | null;
  endedAt: string | null;
}

/** The latest claim of a task known to this machine (the task row, or a GitHub daemon's snapshot). */
export interface KnownClaim {
  ownerId: string;
  epoch: number;
  attempt?: number | null;
}

export interface AttemptChoice {
  attempt?: number;
  epoch?: number;
}

function readResult(dir: string): ResultRecord | null {
  try {
    return JSON.parse(readFileSync(join(dir, RESULT_FILE), 'utf8')) as ResultRecord;
  } catch {
    return null; // not written yet (running, or the process died before it could)
  }
}

/** The task's attempts on this machine, oldest epoch first. `row`: the task's row, if any. */
export function attemptsHere(artifactsRoot: string, taskId: string, row: TaskView | undefined): AttemptLog[] {
  const taskDir = join(artifactsRoot, taskDirName(taskId));
  if (!existsSync(taskDir)) return [];
  const epochs = readdirSync(taskDir)
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .sort((a, b) => a - b);
  return epochs.map((epoch) => {
    const dir = join(taskDir, String(epoch));
    const result = readResult(dir);
    const current = row !== undefined && row.epoch === epoch;
    const running = result === null && current && row.state === 'claimed';
    return {
      taskId,
      epoch,
      attempt: result?.attempt ?? (current ? row.attempt || null : null),
      ownerId: result?.ownerId ?? (current ? row.ownerId : null),
      outcome: result?.outcome ?? (running ? 'running' : 'unfinished'),
      dir,
      stdout: join(dir, STDOUT_FILE),
      stderr: join(dir, STDERR_FILE),
      startedAt: result?.startedAt ?? null,
      endedAt: result?.endedAt ?? null,
    };
  });
}

/** True once the attempt ended: its result.json is written, or its claim is no longer held. */
export function attemptEnded(log: AttemptLog, row: TaskView | undefined): boolean {
  if (existsSync(join(log.dir, RESULT_FILE))) return true;
  return row === undefined || row.epoch !== log.epoch || row.state !== 'claimed';
}

/**
 * The attempt asked for (by epoch, by attempt number — the latest with that number, as a retry
 * starts counting again — or the latest), or an error that says where it is. `latest`: the
 * newest claim the ledger records (GitHub); when its owner ran nothing here and it is newer
 * than every attempt here, another workstation ran it and has its log.
 */
export function chooseAttempt(
  taskId: string,
  here: AttemptLog[],
  choice: AttemptChoice,
  latest: KnownClaim | null,
  self: string,
): AttemptLog {
  const latestAsked = choice.epoch === undefined && choice.attempt === undefined;
  const which =
    choice.epoch !== undefined
      ? `attempt with epoch ${choice.epoch}`
      : choice.attempt !== undefined
        ? `attempt ${choice.attempt}`
        : 'latest attempt';
  const found =
    choice.epoch !== undefined
      ? here.find((a) => a.epoch === choice.epoch)
      : choice.attempt !== undefined
        ? here.findLast((a) => a.attempt === choice.attempt)
        : here.at(-1);
  // An owner's later claims have higher epochs than its earlier ones: a newer claim by an owner
  // that ran nothing here is another workstation's.
  const ours = new Set([self, ...here.map((a) => a.ownerId)]);
  const newest = here.at(-1)?.epoch ?? 0;
  const elsewhere = latest !== null && !ours.has(latest.ownerId) && latest.epoch > newest ? latest : null;
  const listed = here.length
    ? `Here: ${here.map((a) => `epoch ${a.epoch}${a.attempt ? ` (attempt ${a.attempt})` : ''}`).join(', ')}.`
    : 'No attempt of it ran on this machine.';
  if (elsewhere && (latestAsked || !found)) {
    const what = latestAsked
      ? `The latest attempt of ${taskId}`
      : `No ${which} of ${taskId} here; the latest attempt`;
    throw new AttemptLogElsewhereError(
      `${what} (ledger epoch ${elsewhere.epoch}) was run by ${elsewhere.ownerId}: its log is on that owner's ` +
        `workstation (run \`codex-monitor logs\` there). ${listed}`,
      elsewhere.ownerId,
    );
  }
  if (found) return found;
  if (here.length === 0) {
    throw new AttemptLogElsewhereError(
      `No attempt of ${taskId} has left a log on this machine (no daemon with this state directory ran it).`,
      null,
    );
  }
  throw new InputError(
    `No ${which} of ${taskId} on this machine. ${listed} Choose one with --epoch or --attempt.`,
  );
}
