/**
 * `git push --porcelain --force-with-lease=<ref>:<expected> <remote> <src>:<ref>`: a true
 * compare-and-swap. The client refuses a stale expectation and the server's receive-pack checks
 * the old value again under the ref lock; an empty expectation means "must not exist". The
 * refspec never starts with `+`, which would bypass the lease.
 *
 * The porcelain answer is one line per ref, `<flag>\t<from>:<to>\t<summary>`: flags ` ` (fast
 * forward), `+` (forced), `*` (new), `-` (deleted) and `=` (already so) mean the ref is as we
 * asked; `!` means refused. No line for our ref (git died, the connection dropped, a timeout)
 * means the answer was lost: the push may or may not have been applied.
 */
export type PushVerdict = 'applied' | 'refused' | 'lost';

export interface PushAnswer {
  verdict: PushVerdict;
  /** git's summary for our ref (`[rejected] (stale info)`, …), or its stderr when there was none. */
  summary: string;
}

const APPLIED_FLAGS = new Set([' ', '+', '*', '-', '=']);

/** Reads the answer for `ref` out of push's porcelain output. */
export function readPushAnswer(stdout: string, ref: string): PushAnswer | null {
  for (const line of stdout.split('\n')) {
    const [flag, spec, summary = ''] = line.split('\t');
    if (flag === undefined || spec === undefined || flag.length !== 1) continue;
    if (!spec.endsWith(`:${ref}`)) continue;
    if (APPLIED_FLAGS.has(flag)) return { verdict: 'applied', summary };
    if (flag === '!') return { verdict: 'refused', summary };
  }
  return null;
}

/** The argv of a lease-protected push of `src` (a sha, or '' to delete) to `ref`. */
export function leasePushArgs(remote: string, ref: string, src: string, expected: string | null): string[] {
  return [
    'push',
    '--porcelain',
    '--no-verify', // a user's pre-push hook has no say over the ledger
    `--force-with-lease=${ref}:${expected ?? ''}`,
    '--',
    remote,
    `${src}:${ref}`,
  ];
}
