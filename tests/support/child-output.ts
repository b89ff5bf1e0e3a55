import type { ChildProcess } from 'node:child_process';

/** A child's stdout and stderr as one text, in the order written, and its exit code. */
export function childOutput(child: ChildProcess): Promise<{ code: number | null; out: string }> {
  let out = '';
  const take = (d: Buffer) => {
    out += d.toString();
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}
