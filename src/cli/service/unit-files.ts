/**
 * The files that make codex-monitor a service: a systemd user unit (Linux) and a launchd
 * agent (macOS). Neither holds a secret: the daemon reads `.env` in its working directory at
 * start, as it does when run by hand.
 */

/** What the service runs, where, and how long it may take to stop. */
export interface ServiceSpec {
  /** Unit / agent suffix for a second daemon on one machine (`codex-monitor-<name>`). */
  name: string | undefined;
  /** The project directory: holds .env, and the state directory by default. */
  workingDirectory: string;
  /** Absolute node, its flags, the absolute CLI path, `run` and its options. */
  programArguments: readonly string[];
  /** PATH for the daemon and its agents (a service manager's own is minimal). */
  path: string;
  /** SIGTERM to SIGKILL: the daemon's shutdown grace plus a margin. */
  stopTimeoutSec: number;
}

/** Seconds a stop may take: shutdown grace, the attempts' kill grace, and time to release claims. */
export function stopTimeoutSec(shutdownGraceMs: number, killGraceMs: number): number {
  return Math.ceil((shutdownGraceMs + killGraceMs) / 1000) + 15;
}

export const unitName = (name: string | undefined) => `codex-monitor${name ? `-${name}` : ''}.service`;
export const launchdLabel = (name: string | undefined) => `dev.codex-monitor${name ? `.${name}` : ''}`;

export function systemdUnit(spec: ServiceSpec): string {
  return `${[
    `# codex-monitor for ${spec.workingDirectory}, written by \`codex-monitor service install\`.`,
    '# The configuration stays in .env in the working directory: no secret belongs in this file.',
    '[Unit]',
    `Description=${systemdText(`codex-monitor (${spec.workingDirectory})`)}`,
    '',
    '[Service]',
    'Type=simple',
    // A path setting takes the rest of the line as it is (no quotes), specifiers expanded.
    `WorkingDirectory=${systemdText(spec.workingDirectory)}`,
    `ExecStart=${spec.programArguments.map((a) => systemdWord(a, true)).join(' ')}`,
    `Environment=${systemdWord(`PATH=${spec.path}`, false)}`,
    'Restart=on-failure',
    'RestartSec=10',
    // Exit 2 is a configuration or input the user must fix: restarting cannot help.
    'RestartPreventExitStatus=2',
    // The daemon stops its agents and releases its claims on SIGTERM; whatever is left when
    // the timeout ends (mixed: the rest of the group) is killed.
    'KillSignal=SIGTERM',
    'KillMode=mixed',
    `TimeoutStopSec=${spec.stopTimeoutSec}`,
    '',
    '[Install]',
    'WantedBy=default.target',
  ].join('\n')}\n`;
}

/**
 * One word of a unit file line: bare when safe, else double-quoted with C escapes. `%` starts
 * a specifier, and in ExecStart (`command`) `$` a variable: both are doubled.
 */
export function systemdWord(word: string, command: boolean): string {
  const specifiers = word.replaceAll('%', '%%');
  const escaped = command ? specifiers.replaceAll('$', '$$$$') : specifiers;
  if (/^[\w@%$+=:,./-]+$/.test(escaped)) return escaped;
  return `"${escaped.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\n')}"`;
}

/** Free text and paths (Description=, WorkingDirectory=): only specifiers need escaping. */
function systemdText(text: string): string {
  return text.replaceAll('%', '%%').replace(/[\r\n]+/g, ' ');
}

/** A launchd agent that starts at login, restarts after a failure, and gets SIGTERM on stop. */
export function launchdPlist(spec: ServiceSpec, logFile: string): string {
  const string = (s: string) => `<string>${xml(s)}</string>`;
  return `${[
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    `<!-- codex-monitor for ${xml(spec.workingDirectory).replaceAll('--', '- -')}: the configuration stays in .env there. -->`,
    '<plist version="1.0">',
    '<dict>',
    `  <key>Label</key>${string(launchdLabel(spec.name))}`,
    '  <key>ProgramArguments</key>',
    '  <array>',
    ...spec.programArguments.map((a) => `    ${string(a)}`),
    '  </array>',
    `  <key>WorkingDirectory</key>${string(spec.workingDirectory)}`,
    '  <key>EnvironmentVariables</key>',
    `  <dict><key>PATH</key>${string(spec.path)}</dict>`,
    '  <key>RunAtLoad</key><true/>',
    '  <key>KeepAlive</key>',
    '  <dict><key>SuccessfulExit</key><false/></dict>',
    `  <key>ExitTimeOut</key><integer>${spec.stopTimeoutSec}</integer>`,
    `  <key>StandardOutPath</key>${string(logFile)}`,
    `  <key>StandardErrorPath</key>${string(logFile)}`,
    '</dict>',
    '</plist>',
  ].join('\n')}\n`;
}

function xml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
