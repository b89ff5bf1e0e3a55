/**
 * What `codex-monitor init` writes: the board, the repository, the executor. Flags first; on a
 * terminal the missing ones are asked; otherwise defaults, each reported with how it was chosen.
 */
import { InputError } from '../../core/errors.js';

export const BOARDS = ['local', 'github'] as const;
export const EXECUTORS = ['codex', 'claude', 'gemini', 'opencode', 'aider', 'shell', 'noop'] as const;
export type BoardKind = (typeof BOARDS)[number];
export type ExecutorKind = (typeof EXECUTORS)[number];

export interface InitChoices {
  board: BoardKind;
  /** owner/name, on the GitHub board. */
  repository?: string;
  /** Absent on the local board unless chosen: each task carries its own payload there. */
  executor?: ExecutorKind;
  /** EXECUTOR=shell's command line. */
  executorCommand?: string;
}

export interface InitFlags {
  board?: string;
  repo?: string;
  executor?: string;
  executorCommand?: string;
}

/** One setting and how it was chosen, for the user to read (and `--json`). */
export interface Chosen {
  setting: 'board' | 'repository' | 'executor' | 'executor command';
  value: string;
  how: 'flag' | 'answer' | 'default';
}

/**
 * Asks one question; the answer ('' when the user just presses Enter: `fallback` applies).
 * `problem`: what was wrong with the previous answer, shown before asking again.
 */
export type Ask = (question: string, fallback: string, problem?: string) => Promise<string>;

/** A wrong answer is asked again, this many times in all, then refused. */
const TRIES = 3;

const REPOSITORY = /^[\w.-]+\/[\w.-]+$/;

/**
 * Resolves the choices from `flags`, asking through `ask` (a terminal) for what is missing;
 * without `ask` the defaults apply. A bad flag or answer names the value and what is accepted.
 */
export async function resolveChoices(
  flags: InitFlags,
  ask?: Ask,
): Promise<{ choices: InitChoices; chosen: Chosen[] }> {
  const chosen: Chosen[] = [];
  const pick = async <T extends string>(
    setting: Chosen['setting'],
    flag: string | undefined,
    fallback: T,
    question: string,
    check: (value: string) => T,
  ): Promise<T> => {
    if (flag !== undefined) {
      const value = check(flag);
      chosen.push({ setting, value, how: 'flag' });
      return value;
    }
    let problem: string | undefined;
    for (let tries = 1; ; tries++) {
      const answer = ask ? (await ask(question, fallback, problem)).trim() : '';
      try {
        const value = check(answer === '' ? fallback : answer);
        chosen.push({ setting, value, how: answer === '' ? 'default' : 'answer' });
        return value;
      } catch (error) {
        if (!ask || tries >= TRIES || !(error instanceof InputError)) throw error;
        problem = error.message;
      }
    }
  };

  if (flags.executorCommand !== undefined && flags.executor !== undefined && flags.executor !== 'shell') {
    throw new InputError(
      `--executor-command runs the shell executor, but --executor ${flags.executor} was given: drop one of them`,
    );
  }
  const board = await pick(
    'board',
    flags.board,
    flags.repo !== undefined ? 'github' : 'local',
    'Board: local (tasks from a YAML DAG, on this machine) or github (issues of a repository)',
    (v) => oneOf(v, BOARDS, 'board'),
  );
  const choices: InitChoices = { board };
  if (board === 'github') {
    if (flags.repo === undefined && !ask) {
      throw new InputError(
        'init --board github needs --repo owner/name (the repository whose issues are the tasks)',
      );
    }
    choices.repository = await pick('repository', flags.repo, '', 'Repository (owner/name)', repository);
  } else if (flags.repo !== undefined) {
    throw new InputError(
      `--repo ${flags.repo} names a GitHub repository, but the board is local: add --board github`,
    );
  }
  // The local board runs each task's own payload: only ask about an executor for GitHub.
  const wantsExecutor =
    board === 'github' || flags.executor !== undefined || flags.executorCommand !== undefined;
  if (!wantsExecutor) return { choices, chosen };
  choices.executor = await pick(
    'executor',
    flags.executor ?? (flags.executorCommand !== undefined ? 'shell' : undefined),
    'codex',
    'Executor: codex, claude, gemini, opencode, aider (agent CLIs), shell (a command of yours) or noop',
    (v) => oneOf(v, EXECUTORS, 'executor'),
  );
  if (choices.executor === 'shell') {
    if (flags.executorCommand === undefined && !ask) {
      throw new InputError('--executor shell needs --executor-command "<command line>" (run for every task)');
    }
    choices.executorCommand = await pick(
      'executor command',
      flags.executorCommand,
      '',
      'Command run for every task (issue text never becomes part of it)',
      (v) => {
        if (v.trim() === '' || /[\r\n]/.test(v)) {
          throw new InputError(`executor command ${JSON.stringify(v)}: give one non-empty line`);
        }
        return v.trim();
      },
    );
  }
  return { choices, chosen };
}

function oneOf<T extends string>(value: string, allowed: readonly T[], what: string): T {
  const v = value.trim().toLowerCase();
  if ((allowed as readonly string[]).includes(v)) return v as T;
  throw new InputError(`${what} ${JSON.stringify(value)}: expected one of ${allowed.join(', ')}`);
}

function repository(value: string): string {
  if (REPOSITORY.test(value)) return value;
  throw new InputError(`repository ${JSON.stringify(value)}: expected owner/name, for example acme/widgets`);
}
