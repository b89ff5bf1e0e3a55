/**
 * An MCP stdio client transport whose server runs as an attempt's process group.
 *
 * The SDK's StdioClientTransport starts the server with a plain spawn: not a group of its own
 * (a server started through `npx` or `uv run` leaves its real process behind when only the
 * launcher is killed) and not led by the parent-death watchdog (a server would outlive a
 * daemon killed with SIGKILL). Every other attempt has both guarantees (process-group.ts), so
 * this transport starts the server through `runInProcessGroup` with pipes on stdin/stdout and
 * speaks the SDK's own stdio framing (`ReadBuffer`, `serializeMessage`: one JSON-RPC message
 * per line) over them. The SDK's `Client` drives it like any transport.
 */

import type { Writable } from 'node:stream';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { type GroupExit, runInProcessGroup } from '../process-group.js';

export interface GroupTransportOptions {
  /** The server's program as an absolute path (resolved and allowed by the caller), then argv. */
  file: string;
  argv: readonly string[];
  cwd: string;
  env: Record<string, string>;
  /** An open file descriptor for the server's stderr. */
  stderr: number;
  killGraceMs: number;
  /** Stops the server's group (SIGTERM, SIGKILL after the grace): abort and timeout. */
  signal: AbortSignal;
  onSpawn?: (pid: number) => void;
}

/** setTimeout's limit; the caller's signal carries the real deadline. */
const NO_TIMEOUT = 2 ** 31 - 1;

export class GroupStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T) => void;

  private readonly buffer = new ReadBuffer();
  private readonly stop = new AbortController();
  private stdin: Writable | null = null;
  private exitPromise: Promise<GroupExit> | undefined;
  private closing: Promise<void> | undefined;
  /** How the server's group ended, once it has. */
  exit: GroupExit | undefined;

  constructor(private readonly options: GroupTransportOptions) {}

  async start(): Promise<void> {
    if (this.exitPromise !== undefined) throw new Error('GroupStdioTransport already started');
    const { options } = this;
    this.exitPromise = runInProcessGroup({
      file: options.file,
      argv: options.argv,
      cwd: options.cwd,
      env: options.env,
      stdio: ['pipe', 'pipe', options.stderr],
      timeoutMs: NO_TIMEOUT,
      killGraceMs: options.killGraceMs,
      signal: AbortSignal.any([options.signal, this.stop.signal]),
      ...(options.onSpawn ? { onSpawn: options.onSpawn } : {}),
      onPipes: (stdin, stdout) => {
        this.stdin = stdin;
        stdin?.on('error', (error) => this.onerror?.(error));
        stdout?.on('data', (chunk: Buffer) => this.receive(chunk));
        stdout?.on('error', (error) => this.onerror?.(error));
      },
    });
    void this.exitPromise.then((exit) => {
      this.exit = exit;
      this.stdin = null;
      this.onclose?.();
    });
    if (this.stdin === null) {
      // No pipes: the spawn itself failed (its exit says how).
      const exit = await this.exitPromise;
      throw new Error(exit.kind === 'spawn-error' ? `cannot start: ${exit.code}` : 'cannot start');
    }
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.stdin;
    if (stdin === null) return Promise.reject(new Error('Not connected: the MCP server has exited'));
    return new Promise((resolve) => {
      if (stdin.write(serializeMessage(message))) resolve();
      else stdin.once('drain', resolve);
    });
  }

  /** Ends the conversation: EOF on the server's stdin, the group stopped, its exit awaited. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        this.stdin?.end();
      } catch {
        // Already gone: the stop below still applies.
      }
      this.stop.abort();
      await this.exitPromise;
      this.buffer.clear();
    })();
    return this.closing;
  }

  private receive(chunk: Buffer): void {
    try {
      this.buffer.append(chunk);
    } catch (error) {
      // One message beyond the SDK's buffer limit (10 MB): nothing sane can follow.
      this.onerror?.(error as Error);
      void this.close();
      return;
    }
    // As the SDK's own stdio transport: a line that is not JSON-RPC is reported and skipped.
    for (;;) {
      let message: JSONRPCMessage | null;
      try {
        message = this.buffer.readMessage();
      } catch (error) {
        this.onerror?.(error as Error);
        continue;
      }
      if (message === null) return;
      this.onmessage?.(message);
    }
  }
}
