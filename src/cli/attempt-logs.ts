/**
 * Where an attempt's output is: every executor writes `artifacts/<task>/<epoch>/` under the state
 * directory (stdout.log and stderr.log for a command, result.json once it ended). This finds the
 * attempts of a task on this machine, and when the one asked for is not here says who ran it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AttemptLogElsewhereError, InputError } from '../core/errors.js';
import { taskDirName } from '../core/safe-path.js';
import { RESULT_FILE, type ResultRecord } from '../executors/result-record.js';
import { STDERR_FILE, STDOUT_FILE } from '../executors/shell/shell.js';
import type { TaskView } from '../state/tasks/task-rows.js';

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
 * starts counting again — or the latest), or an error that says where it is: `latest` is the
 * newest claim known here; when it is newer than every attempt here, another workstation ran it.
 */
export function chooseAttempt(
  taskId: string,
  here: AttemptLog[],
  choice: AttemptChoice,
  latest: KnownClaim | null,
  self: string,
): AttemptLog {
  const which =
    choice.epoch !== undefined
      ? `the attempt with epoch ${choice.epoch}`
      : choice.attempt !== undefined
        ? `attempt ${choice.attempt}`
        : 'the latest attempt';
  const found =
    choice.epoch !== undefined
      ? here.find((a) => a.epoch === choice.epoch)
      : choice.attempt !== undefined
        ? here.findLast((a) => a.attempt === choice.attempt)
        : here.at(-1);
  const newest = here.at(-1)?.epoch ?? 0;
  const elsewhere = latest !== null && latest.ownerId !== self && latest.epoch > newest ? latest : null;
  const latestAsked = choice.epoch === undefined && choice.attempt === undefined;
  const isElsewhere =
    elsewhere !== null &&
    (latestAsked ||
      (!found &&
        (choice.epoch === elsewhere.epoch ||
          (choice.attempt !== undefined && choice.attempt === elsewhere.attempt))));
  const listed = here.length
    ? `Here: ${here.map((a) => `epoch ${a.epoch}${a.attempt ? ` (attempt ${a.attempt})` : ''}`).join(', ')}.`
    : 'No attempt of it ran on this machine.';
  if (isElsewhere) {
    throw new AttemptLogElsewhereError(
      `The log of ${which} of ${taskId} (epoch ${elsewhere.epoch}) is on the workstation of ${elsewhere.ownerId}, ` +
        `which ran it: run \`codex-monitor logs\` there. ${listed}`,
      elsewhere.ownerId,
    );
  }
  if (found) return found;
  if (here.length === 0) {
    throw new AttemptLogElsewhereError(
      `No log of ${taskId} on this machine: no daemon with this state directory ran it. On GitHub, ` +
        '`codex-monitor status` names the owner that holds or last held it; its workstation has the log.',
      null,
    );
  }
  throw new InputError(
    `No ${which} of ${taskId} on this machine. ${listed} Choose one with --epoch or --attempt.`,
  );
}
