import type { Command } from 'commander';
import { systemClock } from '../../core/clock.js';
import { parseDuration } from '../../core/duration.js';
import { InputError } from '../../core/errors.js';
import { RELEASE_OUTCOMES, type ReleaseOutcome } from '../../core/task.js';
import { claimWaiting } from '../../daemon/claim-wait.js';
import type { HandClaims, HandResult } from '../../daemon/hands.js';
import { holdClaim } from '../../daemon/hold.js';
import { type CommandContext, type GlobalOptions, openContext } from '../context.js';
import { withExamples } from '../examples.js';
import { jsonOption, wantsJson } from '../json-mode.js';
import { clockTime, handOwner, leaseOf, openHands } from '../open/open-hands.js';
import { printJson, table } from '../output/format.js';
import { terminalText } from '../output/terminal-safe.js';

interface OwnerOptions {
  owner?: string;
}

const OWNER_HELP = 'who holds it (default: <short hostname>/<os user>, e.g. ws3/alice)';

/**
 * Hand claims: a person driving an agent by hand takes a task out of the fleet's hands and
 * gives it back, with the guarantees of a daemon's claim (see daemon/hands.ts).
 */
export function registerHandCommands(program: Command): void {
  const claim = program
    .command('claim <task>')
    .description(
      'claim a task by hand (on GitHub: an issue number; on Jira: a key); keep it with hold or renew',
    )
    .option('--ttl <duration>', 'the lease: the longest it is held without renew, e.g. 45m or 2h', '2h')
    .option('--owner <id>', OWNER_HELP)
    .option(
      '--wait [duration]',
      'when it is held: watch the holder and take it over once it is seen silent past the stale threshold (or its hand lease seen out); give up after <duration> (default: twice SHARED_STATE_STALE_THRESHOLD_MS)',
    )
    .action(
      async (task: string, opts: OwnerOptions & { ttl: string; wait?: string | true }, cmd: Command) => {
        const leaseMs = leaseOf(opts.ttl);
        await withHands(cmd, opts, async (hands, ctx) => {
          const result =
            opts.wait === undefined
              ? await hands.claim(task, leaseMs)
              : await claimWaitingHere(hands, task, leaseMs, ctx, opts.wait);
          const every = Math.round(ctx.config.sharedState.staleThresholdMs / 1000);
          say(cmd, result, `Keep it with: codex-monitor hold ${task} (or renew it within ${every}s).`);
        });
      },
    );
  withExamples(jsonOption(claim, 'print the result as JSON'), [
    ['codex-monitor claim 12 --ttl 2h', 'on GitHub: issue #12, held for two hours at most'],
    ['codex-monitor claim lint --owner ws3/alice --json', 'a local task, for a named owner'],
    ['codex-monitor claim 12 --wait', 'held by a silent owner: watch it, then take it over'],
  ]);

  const hold = program
    .command('hold <task>')
    .description('keep a hand claim live: heartbeats in the foreground until stopped or the lease ends')
    .option('--owner <id>', OWNER_HELP)
    .action(async (task: string, opts: OwnerOptions, cmd: Command) => {
      await withHands(cmd, opts, (hands, ctx) => holdInForeground(cmd, hands, ctx, task));
    });
  withExamples(jsonOption(hold, 'print one JSON line per heartbeat and one at the end'), [
    ['codex-monitor hold 12', 'after claim 12: hold issue #12 while this terminal runs'],
    ['codex-monitor hold lint --owner ws3/alice --json'],
  ]);

  const renew = program
    .command('renew <task>')
    .description('restart the lease of a hand claim (and heartbeat it)')
    .option('--ttl <duration>', 'a new lease length (default: the one it was claimed with)')
    .option('--owner <id>', OWNER_HELP)
    .action(async (task: string, opts: OwnerOptions & { ttl?: string }, cmd: Command) => {
      const leaseMs = opts.ttl === undefined ? undefined : leaseOf(opts.ttl);
      await withHands(cmd, opts, async (hands) => say(cmd, await hands.renew(task, leaseMs)));
    });
  withExamples(jsonOption(renew, 'print the result as JSON'), [['codex-monitor renew 12 --ttl 1h']]);

  const release = program
    .command('release <task>')
    .description('give a hand claim back with its outcome')
    .requiredOption('--outcome <outcome>', `how it ended: ${RELEASE_OUTCOMES.join(', ')}`)
    .option('--pr <number>', 'the pull request that delivers it')
    .option('--owner <id>', OWNER_HELP)
    .action(async (task: string, opts: OwnerOptions & { outcome: string; pr?: string }, cmd: Command) => {
      const outcome = outcomeOf(opts.outcome);
      const pr = opts.pr === undefined ? undefined : prOf(opts.pr);
      await withHands(cmd, opts, async (hands) => say(cmd, await hands.release(task, outcome, pr)));
    });
  withExamples(jsonOption(release, 'print the result as JSON'), [
    ['codex-monitor release 12 --outcome complete --pr 31'],
    ['codex-monitor release lint --outcome abandoned', 'back to the fleet, no retry counted'],
  ]);

  const next = program
    .command('next')
    .description('print the best eligible task for a capability (and claim it by hand with --claim)')
    .option('--agent <name>', 'the capability (default: any)')
    .option('--claim', 'claim it by hand')
    .option('--ttl <duration>', 'the lease with --claim', '2h')
    .option('--owner <id>', OWNER_HELP)
    .action(async (opts: OwnerOptions & { agent?: string; claim?: boolean; ttl: string }, cmd: Command) => {
      const leaseMs = opts.claim ? leaseOf(opts.ttl) : undefined;
      await withHands(cmd, opts, async (hands) => say(cmd, await hands.next(opts.agent ?? null, leaseMs)));
    });
  withExamples(jsonOption(next, 'print the result as JSON'), [
    ['codex-monitor next --agent codex', 'what the fleet would run next'],
    ['codex-monitor next --claim --ttl 1h --json', 'take it'],
  ]);

  const mine = program
    .command('mine')
    .description('list the tasks this owner holds')
    .option('--owner <id>', OWNER_HELP)
    .action(async (opts: OwnerOptions, cmd: Command) => {
      await withHands(cmd, opts, async (hands) => {
        const held = await hands.mine();
        if (wantsJson(cmd)) return printJson(held);
        if (held.length === 0) return void process.stdout.write(`${hands.owner} holds nothing.\n`);
        const rows = held.map((c) => [c.task, c.epoch, clockTime(c.leaseUntil), terminalText(c.title)]);
        process.stdout.write(`${table(['TASK', 'EPOCH', 'UNTIL', 'TITLE'], rows)}\n`);
      });
    });
  withExamples(jsonOption(mine, 'print JSON'), [['codex-monitor mine --owner ws3/alice']]);
}

/** Opens the configured board's hand claims for the owner, runs `act`, closes. */
async function withHands(
  cmd: Command,
  opts: OwnerOptions,
  act: (hands: HandClaims, ctx: CommandContext) => Promise<void>,
): Promise<void> {
  const who = handOwner(opts.owner);
  using ctx = openContext(cmd.optsWithGlobals<GlobalOptions>());
  const opened = await openHands(ctx, who);
  try {
    await act(opened.hands, ctx);
  } finally {
    await opened.hands.close();
    await opened.close();
  }
}

function say(cmd: Command, result: HandResult, hint?: string): void {
  if (wantsJson(cmd)) printJson(result);
  else process.stdout.write(`${terminalText(result.message)}\n${hint ? `${hint}\n` : ''}`);
}

async function holdInForeground(cmd: Command, hands: HandClaims, ctx: CommandContext, task: string) {
  const json = wantsJson(cmd);
  const line = (text: string, data: object) =>
    process.stdout.write(json ? `${JSON.stringify(data)}\n` : `${terminalText(text)}\n`);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const intervalMs = ctx.config.sharedState.heartbeatIntervalMs;
  try {
    let first = true;
    const end = await holdClaim(hands, task, {
      clock: systemClock(ctx.config.clockOffsetMs),
      intervalMs,
      signal: stop.signal,
      onBeat: (claim) => {
        const at = new Date().toISOString();
        const text = first
          ? `Holding ${task} for ${hands.owner} (epoch ${claim.epoch}) until ${clockTime(claim.leaseUntil)}, ` +
            `a heartbeat every ${intervalMs / 1000}s. Ctrl-C stops holding.`
          : `heartbeat ${at}`;
        first = false;
        line(text, { event: 'heartbeat', at, claim });
      },
    });
    const text =
      end.reason === 'stopped'
        ? `Stopped holding ${task}: it lapses unless renewed; give it back with: codex-monitor release ${task} --outcome …`
        : `The lease of ${task} ended: it goes back to the fleet.`;
    line(text, { event: 'end', reason: end.reason, claim: end.claim });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** `claim --wait`: the wait's bound from the flag, progress on stderr (stdout stays the result). */
async function claimWaitingHere(
  hands: HandClaims,
  task: string,
  leaseMs: number,
  ctx: CommandContext,
  wait: string | true,
): Promise<HandResult> {
  const { staleThresholdMs, heartbeatIntervalMs } = ctx.config.sharedState;
  const waitMs = wait === true ? 2 * staleThresholdMs : waitOf(wait);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  try {
    return await claimWaiting(hands, task, leaseMs, {
      clock: systemClock(ctx.config.clockOffsetMs),
      waitMs,
      pollMs: heartbeatIntervalMs,
      signal: stop.signal,
      onWaiting: (refusal) =>
        process.stderr.write(
          `${terminalText(refusal.message)}\nWatching it for up to ${Math.round(waitMs / 1000)}s: taken over once seen silent for ${Math.round(staleThresholdMs / 1000)}s.\n`,
        ),
    });
  } finally {
    process.off('SIGINT', onSignal);
  }
}

function waitOf(value: string): number {
  const parsed = parseDuration(value, { bareSeconds: false });
  if ('problem' in parsed) throw new InputError(`--wait: ${parsed.problem}`);
  return parsed.ms;
}

function outcomeOf(value: string): ReleaseOutcome {
  if ((RELEASE_OUTCOMES as readonly string[]).includes(value)) return value as ReleaseOutcome;
  throw new InputError(`--outcome ${JSON.stringify(value)} is not one of ${RELEASE_OUTCOMES.join(', ')}.`);
}

function prOf(value: string): number {
  const digits = value.replace(/^#/, '');
  const n = Number(digits);
  if (Number.isSafeInteger(n) && n > 0 && String(n) === digits) return n;
  throw new InputError(`--pr ${JSON.stringify(value)} is not a pull request number; give one like --pr 31.`);
}
