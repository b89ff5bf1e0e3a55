/**
 * What a task asks to be run. On the local board it comes from the DAG; on GitHub from the
 * configuration (issue text never chooses a command).
 */
export type TaskPayload = NoopPayload | ShellPayload;

export interface NoopPayload {
  kind: 'noop';
  /** How long the noop "works" (ms); 0 or absent: returns at once. */
  durationMs?: number;
}

export interface ShellPayload {
  kind: 'shell';
  /** A command line (split into words, quotes honoured, no shell features) or an argv array. */
  cmd: string | string[];
  /** Kill the attempt after this long (ms). Absent: the configured default. */
  timeoutMs?: number;
  /** A file fed to the program's stdin (e.g. an agent prompt). Absent: stdin is /dev/null. */
  stdinFile?: string;
}

export const PAYLOAD_KINDS = ['noop', 'shell'] as const;
