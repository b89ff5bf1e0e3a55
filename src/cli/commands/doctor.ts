import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { Check } from '../../boards/github/doctor.js';
import type { Config } from '../../config/config.js';
import { systemClock } from '../../core/clock.js';
import { errorMessage } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { redactUrl } from '../../core/redact.js';
import { openSharedState, STATE_FILE } from '../../state/open-state.js';
import { type GlobalOptions, readConfig } from '../context.js';
import { executorCheck, localTaskChecks, type ProgramWhere, stateDirCheck } from '../doctor/doctor-local.js';
import { workspaceChecks } from '../doctor/doctor-workspace.js';
import { subcommand, withExamples } from '../examples.js';
import { gitCredentialsFor } from '../open/git-credentials.js';
import { githubPayloads } from '../open/github-payload.js';
import { jiraDeliversPulls } from '../open/jira-delivery.js';
import { openGitHubAuthFor } from '../open/open-board.js';
import { openLedgerTransport } from '../open/open-ledger.js';
import { coloursFor } from '../output/colour.js';
import { printJson } from '../output/format.js';

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description(
      'check the setup: the executor; on GitHub the identity (token, from GITHUB_TOKEN or gh auth token, or a GitHub App) and its rate budget, permissions (refs, issues), labels, clock offset, and with WORKSPACE=worktree the clone and push access; on the local board the state directory and the tasks',
    )
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const checks = await doctorChecks(globals);
      printChecks(checks, Boolean(opts.json || globals.json));
      if (checks.some((c) => !c.ok)) process.exitCode = 1;
    });
  withExamples(subcommand(program, 'doctor'), [
    ['codex-monitor doctor'],
    [
      'GITHUB_REPOSITORY=acme/widgets codex-monitor doctor --json',
      'the token from GITHUB_TOKEN, else gh auth token',
    ],
  ]);
}

/** One line per check (✓ passed, ! a warning, ✗ failed), or the checks as JSON. */
export function printChecks(checks: readonly Check[], json: boolean): void {
  if (json) printJson(checks);
  else {
    const paint = coloursFor(process.stdout);
    for (const c of checks) {
      const mark = c.ok ? (c.warn ? paint.warn('!') : paint.ok('✓')) : paint.fail('✗');
      process.stdout.write(`${mark} ${paint.heading(c.name)}: ${c.detail}\n`);
    }
  }
}

/**
 * Every check doctor can make. The configuration is read leniently for the executor: a
 * missing EXECUTOR_COMMAND is one failed check among the others (run still refuses it).
 */
export async function doctorChecks(globals: GlobalOptions): Promise<Check[]> {
  let executorProblem: string | undefined;
  const config = readConfig(globals, {}, { onExecutorProblem: (p) => (executorProblem ??= p) });
  const where: ProgramWhere = { path: process.env.PATH, cwd: process.cwd() };
  const checks: Check[] = [executorCheck(config, executorProblem, where)];
  // With worktrees and GITHUB_REPOSITORY, Jira tasks are delivered as pull requests there too.
  if (config.jira !== undefined)
    return [...checks, ...(await jiraChecks(config)), ...(await workspaceChecks(config))];
  if (config.github.repository === undefined) {
    const dir = stateDirCheck(config.stateDir);
    checks.push(dir);
    // Read what is there; doctor creates no state directory of its own.
    const exists = dir.ok && existsSync(join(config.stateDir, STATE_FILE));
    using store = exists ? disposable(openSharedState(config, { mustExist: true })) : undefined;
    checks.push(...localTaskChecks(config, store?.value.list({ source: 'local' }) ?? [], where));
    return checks;
  }
  return [...checks, ...(await githubChecks(config))];
}

async function githubChecks(config: Config): Promise<Check[]> {
  const repo = config.github.repository!;
  const logger = createLogger(config.logLevel);
  const clock = systemClock(config.clockOffsetMs);
  // Loaded here, not by every command: the GitHub board and Octokit are most of a process's memory.
  const { openGitHubBoard } = await import('../../boards/github/index.js');
  const { runDoctor } = await import('../../boards/github/doctor.js');
  const checks: Check[] = [];
  if (config.github.tokenSource !== undefined) {
    checks.push({
      name: 'GitHub token',
      ok: true,
      detail:
        config.github.tokenSource === 'gh auth token'
          ? 'from gh auth token (GITHUB_TOKEN is unset): the GitHub CLI’s login'
          : 'from GITHUB_TOKEN',
      info: { source: config.github.tokenSource },
    });
  }
  // A GitHub App's key, id and installation are proven (or refused, with what to fix) here.
  const auth = await openGitHubAuthFor(config, clock).catch((error: unknown) => {
    checks.push({ name: 'identity', ok: false, detail: redactUrl(errorMessage(error)) });
    return undefined;
  });
  if (!auth) return checks;
  using store = disposable(openSharedState(config));
  const credentials = gitCredentialsFor(config, auth.app);
  const choice = await openLedgerTransport(config, { logger, credentials }).catch((error: unknown) => ({
    transport: undefined,
    reason: redactUrl(errorMessage(error)),
    failed: true,
  }));
  if ('failed' in choice) checks.push({ name: 'claim ledger transport', ok: false, detail: choice.reason });
  const { client, ledger, project } = openGitHubBoard(config, store.value, {
    clock,
    logger,
    payloadFor: githubPayloads(config),
    auth,
    ...(choice.transport ? { ledgerTransport: choice.transport } : {}),
  });
  checks.push(
    ...(await runDoctor({
      client,
      ledger,
      owner: repo.owner,
      repo: repo.repo,
      now: () => clock.now(),
      identity: auth.identity,
      ledgerReason: choice.reason,
      ...(project ? { project } : {}),
    })),
  );
  // WORKSPACE=worktree: the repository clone and push access, whatever GitHub's API said.
  checks.push(...(await workspaceChecks(config, auth.app)));
  return checks;
}

/** The Jira board: credentials, the query, the git ledger, the configured statuses reachable. */
async function jiraChecks(config: Config): Promise<Check[]> {
  const logger = createLogger(config.logLevel);
  const clock = systemClock(config.clockOffsetMs);
  const { jiraApiFor, jiraAuthOf, runJiraDoctor, JIRA_LEDGER_NAMESPACE } = await import(
    '../../boards/jira/index.js'
  );
  const { RefLedger } = await import('../../boards/github/ledger/index.js');
  const jira = config.jira!;
  const choice = await openLedgerTransport(config, {
    logger,
    credentials: gitCredentialsFor(config, undefined),
  }).catch((error: unknown) => ({ transport: undefined, reason: redactUrl(errorMessage(error)) }));
  const api = jiraApiFor({ baseUrl: jira.baseUrl, auth: jiraAuthOf(jira), clock });
  if (!choice.transport) return [{ name: 'claim ledger transport', ok: false, detail: choice.reason }];
  const ledger = new RefLedger({
    transport: choice.transport,
    clock,
    staleThresholdMs: config.sharedState.staleThresholdMs,
    logger,
    namespace: JIRA_LEDGER_NAMESPACE,
  });
  return runJiraDoctor({
    api,
    ledger,
    jql: jira.jql,
    statuses: jiraDoctorStatuses(config),
    ledgerReason: choice.reason,
  });
}

/** The statuses the mirror will use: the review status only where attempts open pull requests. */
export function jiraDoctorStatuses(config: Config): Record<string, string> {
  const { working, review, done } = config.jira!.statuses;
  return jiraDeliversPulls(config) ? { working, review, done } : { working, done };
}

/** Closes the state database when the block ends (`using`). */
function disposable<T extends { close(): void }>(value: T): { value: T; [Symbol.dispose](): void } {
  return { value, [Symbol.dispose]: () => value.close() };
}
