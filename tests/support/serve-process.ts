import { type ChildProcess, spawn } from 'node:child_process';
import { cliArgs } from './cli.js';

export interface ServeProcess {
  child: ChildProcess;
  /** `http://127.0.0.1:<port>` as the process printed it. */
  url: string;
  output: () => string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop: () => Promise<number | null>;
}

/**
 * Starts a long-running CLI command (`serve`, `run --serve`) that prints `listening on <url>`
 * and resolves once it has; rejects with its output if it exits first.
 */
export function startListening(args: string[], env: Record<string, string>): Promise<ServeProcess> {
  const child = spawn(process.execPath, cliArgs(...args), {
    env: { ...process.env, LOG_LEVEL: 'warn', SERVE_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      if (url) {
        child.stdout?.off('data', onData);
        child.stdout?.on('data', (more: Buffer) => {
          out += more.toString();
        });
        resolve({
          child,
          url,
          output: () => out,
          stop: () => {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            return exited;
          },
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    void exited.then((code) => reject(new Error(`exited ${code} before listening:\n${out}`)));
  });
}

/** Reads an SSE response: `until` resolves with everything received once `predicate` matches it. */
export function sseReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  return {
    async until(predicate: (text: string) => boolean): Promise<string> {
      while (!predicate(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`the stream ended before the expected event:\n${text}`);
        text += decoder.decode(value, { stream: true });
      }
      return text;
    },
    close: () => reader.cancel(),
  };
}
