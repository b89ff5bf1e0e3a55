/**
 * One `--json` for every command: a command that prints JSON declares it with `jsonOption`,
 * reads the choice with `wantsJson` (its own `--json` or the global one, wherever it was typed),
 * and a command that has no JSON to give refuses the flag instead of silently ignoring it.
 */
import type { Command } from 'commander';

const JSON_FLAG = '--json';
const noJsonReasons = new WeakMap<Command, string>();

/** Declares that `cmd` prints JSON with `--json` (and honours the global `--json`). */
export function jsonOption(cmd: Command, description = 'print JSON'): Command {
  return cmd.option(JSON_FLAG, description);
}

/** True when the user asked for JSON: the command's own `--json` or the global one. */
export function wantsJson(cmd: Command): boolean {
  return cmd.optsWithGlobals<{ json?: boolean }>().json === true;
}

/** Says why `cmd` has no JSON output (shown when someone asks for it). */
export function noJson(cmd: Command, why: string): Command {
  noJsonReasons.set(cmd, why);
  return cmd;
}

/** The name a user types for `cmd`, e.g. `tasks add`. */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * Installs the check on `program`: the global `--json` given to a command without JSON output
 * is a usage error (exit 2) that says so, rather than output a script cannot parse.
 */
export function refuseJsonWhereUnsupported(program: Command): void {
  program.hook('preAction', (_root, action) => {
    if (!wantsJson(action) || action.options.some((o) => o.long === JSON_FLAG)) return;
    const why = noJsonReasons.get(action) ?? 'it has no JSON output';
    action.error(
      `error: \`codex-monitor ${commandPath(action)}\` does not take --json: ${why}. Run it without --json.`,
      {
        code: 'codex-monitor.noJson',
        exitCode: 2,
      },
    );
  });
}
