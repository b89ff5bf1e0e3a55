/**
 * What a task asks to be run. On the local board it comes from the DAG; on GitHub from the
 * configuration (issue text never chooses a command).
 */
export type TaskPayload = NoopPayload | ShellPayload | McpCallPayload;

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

/**
 * Calls one tool of a local MCP server over stdio and records its response as the attempt's
 * artifact. The server is started like a shell payload's command: its program must be in
 * EXECUTOR_ALLOWLIST, with the same allow-listed environment, in the attempt's workspace.
 */
export interface McpCallPayload {
  kind: 'mcp-call';
  /** The server's command line (split into words, no shell features) or its argv. */
  server: string | string[];
  /** The tool's name, as the server lists it. */
  tool: string;
  /** The tool's arguments (a JSON object). */
  arguments?: Record<string, unknown>;
  /** Stop the server and fail the attempt after this long (ms). Absent: the configured default. */
  timeoutMs?: number;
}

export const PAYLOAD_KINDS = ['noop', 'shell', 'mcp-call'] as const;
