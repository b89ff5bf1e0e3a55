/**
 * The mcp-call executor: starts a local MCP server over stdio, calls one tool with the
 * official SDK's `Client` (`tools/call`), records the response as the attempt's artifact
 * (response.json, its text as stdout.log; the server's stderr as stderr.log) and stops the
 * server. The server is started as a shell payload's command is: its program resolved and
 * checked against EXECUTOR_ALLOWLIST before anything starts, the same allow-listed
 * environment (no GITHUB_TOKEN, nothing secret the user did not pass on), the attempt's
 * fresh workspace as its cwd, a process group of its own led by the watchdog.
 *
 * Outcomes: complete when the tool answered without `isError`; failed with the tool's own
 * message when it set `isError`, and with the cause when the call could not be made (unknown
 * tool, the server exited or is not an MCP server, the timeout); aborted by the signal, the
 * server's group stopped (SIGTERM, SIGKILL after the kill grace) either way.
 */

import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { type Clock, systemClock } from '../../core/clock.js';
import { errorMessage, InputError } from '../../core/errors.js';
import type { McpCallPayload } from '../../core/payload.js';
import { freshWorkspace, lastStderrLine, STDERR_FILE } from '../attempt-files.js';
import type { ExecutionHooks, ExecutionRequest, ExecutionResult, Executor } from '../executor.js';
import type { GroupExit } from '../process-group.js';
import { type AttemptEnd, recordedRun } from '../result-record.js';
import { splitCommandLine } from '../shell/command-line.js';
import { attemptEnvironment } from '../shell/environment.js';
import { checkProgram } from '../shell/program-path.js';
import type { ShellExecutorOptions } from '../shell/shell.js';
import { GroupStdioTransport } from './group-transport.js';
import { type ToolResponse, toolErrorLine, writeToolResponse } from './tool-response.js';

/** The same settings as the shell executor: one allow-list, one environment rule, one timeout. */
export type McpCallExecutorOptions = ShellExecutorOptions;

const CLIENT_INFO = { name: 'codex-monitor', version: '1' };
/** setTimeout's limit: the SDK's own per-request timeout (60 s by default) must never win. */
const MAX_DELAY = 2 ** 31 - 1;

export class McpCallExecutor implements Executor {
  private readonly clock: Clock;

  constructor(private readonly options: McpCallExecutorOptions) {
    this.clock = options.clock ?? systemClock();
  }

  /** Runs the attempt; rejects only when the artifacts directory cannot be written. */
  run(request: ExecutionRequest, signal: AbortSignal, hooks?: ExecutionHooks): Promise<ExecutionResult> {
    return recordedRun(request, 'mcp-call', this.clock, (setArgv) => {
      const { payload } = request;
      if (payload.kind !== 'mcp-call') {
        throw new InputError(`The mcp-call executor got a "${payload.kind}" payload`);
      }
      const argv = serverArgv(payload);
      setArgv(argv);
      return this.call(request, payload, argv, signal, hooks);
    });
  }

  private async call(
    request: ExecutionRequest,
    payload: McpCallPayload,
    argv: string[],
    signal: AbortSignal,
    hooks: ExecutionHooks | undefined,
  ): Promise<AttemptEnd> {
    const cwd = request.workdir ?? freshWorkspace(this.options.workspacesRoot, request.artifactsDir);
    const env = attemptEnvironment(
      request,
      this.options.baseEnv ?? process.env,
      this.options.passthroughEnv,
      cwd,
    );
    // Refused before anything is started.
    const checked = checkProgram(argv[0]!, this.options.allowlist, { path: env.PATH, cwd });
    if (!checked.ok) return { outcome: 'failed', error: `MCP server: ${checked.error}`, exitCode: null };
    if (signal.aborted) return { outcome: 'aborted', exitCode: null };

    const timeoutMs = payload.timeoutMs ?? this.options.defaultTimeoutMs;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), Math.min(timeoutMs, MAX_DELAY));
    const stop = AbortSignal.any([signal, deadline.signal]);
    const stderrPath = join(request.artifactsDir, STDERR_FILE);
    const stderr = openSync(stderrPath, 'w');
    const transport = new GroupStdioTransport({
      file: checked.file,
      argv,
      cwd,
      env,
      stderr,
      killGraceMs: this.options.killGraceMs,
      signal: stop,
      ...(hooks?.onSpawn ? { onSpawn: hooks.onSpawn } : {}),
    });
    const client = new Client(CLIENT_INFO);
    const requestOptions = { signal: stop, timeout: MAX_DELAY };
    try {
      await client.connect(transport, requestOptions);
      const raw = await client.callTool(
        { name: payload.tool, arguments: payload.arguments ?? {} },
        undefined,
        requestOptions,
      );
      // A server of the 2024-10-07 protocol answers `toolResult` instead of content.
      const response: ToolResponse = 'toolResult' in raw ? { structuredContent: raw.toolResult } : raw;
      writeToolResponse(request.artifactsDir, payload.tool, response);
      if (response.isError === true) {
        return { outcome: 'failed', error: toolErrorLine(payload.tool, response), exitCode: null };
      }
      return { outcome: 'complete', exitCode: null };
    } catch (error) {
      if (signal.aborted) return { outcome: 'aborted', exitCode: null };
      if (deadline.signal.aborted) {
        return { outcome: 'failed', error: `MCP server timed out after ${timeoutMs} ms`, exitCode: null };
      }
      return { outcome: 'failed', ...callFailure(payload.tool, error, transport.exit, stderrPath) };
    } finally {
      clearTimeout(timer);
      // Stops the server's group and waits for it: nothing of the attempt outlives it.
      await client.close().catch(() => {});
      closeSync(stderr);
    }
  }
}

/** argv of the server: a command line split into words (no shell), or the list as given. */
export function serverArgv(payload: McpCallPayload): string[] {
  if (typeof payload.server === 'string') return splitCommandLine(payload.server);
  if (payload.server.length === 0 || payload.server[0] === '') {
    throw new InputError('The MCP server command is empty; give a program and its arguments');
  }
  return [...payload.server];
}

/** Why a call could not be made: the server's end (exit, stderr) when it ended, else the SDK's error. */
function callFailure(
  tool: string,
  error: unknown,
  exit: GroupExit | undefined,
  stderrPath: string,
): { error: string; exitCode: number | null; signal?: string | null } {
  if (exit?.kind === 'spawn-error')
    return { error: `cannot start the MCP server: ${exit.code}`, exitCode: null };
  if (exit !== undefined) {
    const how = exit.exitCode !== null ? `exit code ${exit.exitCode}` : `killed by ${exit.signal}`;
    const line = lastStderrLine(stderrPath);
    return {
      error: `the MCP server exited (${how}) before tool "${tool}" answered${line ? `: ${line}` : ''}`,
      exitCode: exit.exitCode,
      signal: exit.signal,
    };
  }
  return { error: `tool "${tool}" could not be called: ${errorMessage(error)}`, exitCode: null };
}
