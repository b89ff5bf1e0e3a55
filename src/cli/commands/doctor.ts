import type { Command } from 'commander';
import type { Check } from '../../boards/github/doctor.js';
import { systemClock } from '../../core/clock.js';
import { errorMessage, InputError } from '../../core/errors.js';
import { redactUrl } from '../../core/redact.js';
import { type GlobalOptions, openContext } from '../context.js';
import { workspaceChecks } from '../doctor-workspace.js';
import { subcommand, withExamples } from '../examples.js';
import { gitCredentialsFor } from '../git-credentials.js';
import { githubPayloads } from '../github-payload.js';
import { openGitHubAuthFor } from '../open-board.js';
import { openLedgerTransport } from '../open-ledger.js';
import { printJson } from '../output/format.js';

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description(
      'check the GitHub setup: identity (token or GitHub App) and its rate budget, permissions (refs, issues), labels, clock offset; with WORKSPACE=worktree the repository clone and push access',
    )
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      using ctx = openContext(globals);
      const repo = ctx.config.github.repository;
      if (!repo)
        throw new InputError(
          'doctor checks the GitHub board: set GITHUB_REPOSITORY and GITHUB_TOKEN (or a GitHub App, GITHUB_APP_*) first.',
        );
      const clock = systemClock(ctx.config.clockOffsetMs);
      // Loaded here, not by every command: the GitHub board and Octokit are most of a process's memory.
      const { openGitHubBoard } = await import('../../boards/github/index.js');
      const { runDoctor } = await import('../../boards/github/doctor.js');
      const checks: Check[] = [];
      // A GitHub App's key, id and installation are proven (or refused, with what to fix) here.
      const auth = await openGitHubAuthFor(ctx.config, clock).catch((error: unknown) => {
        checks.push({ name: 'identity', ok: false, detail: redactUrl(errorMessage(error)) });
        return undefined;
      });
      if (auth) {
        const credentials = gitCredentialsFor(ctx.config, auth.app);
        const choice = await openLedgerTransport(ctx.config, { logger: ctx.logger, credentials }).catch(
          (error: unknown) => ({
            transport: undefined,
            reason: redactUrl(errorMessage(error)),
            failed: true,
          }),
        );
        if ('failed' in choice)
          checks.push({ name: 'claim ledger transport', ok: false, detail: choice.reason });
        const { client, ledger } = openGitHubBoard(ctx.config, ctx.store, {
          clock,
          logger: ctx.logger,
          payloadFor: githubPayloads(ctx.config),
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
          })),
        );
        // WORKSPACE=worktree: the repository clone and push access, whatever GitHub's API said.
        checks.push(...(await workspaceChecks(ctx.config, auth.app)));
      }
      if (opts.json || globals.json) printJson(checks);
      else {
        for (const c of checks) {
          process.stdout.write(`${c.ok ? (c.warn ? '!' : '✓') : '✗'} ${c.name}: ${c.detail}\n`);
        }
      }
      if (checks.some((c) => !c.ok)) process.exitCode = 1;
    });
  withExamples(subcommand(program, 'doctor'), [['codex-monitor doctor'], ['codex-monitor doctor --json']]);
}
