import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * A `gh` on PATH that answers `gh auth token` with `token` (or fails like a gh that is not
 * logged in when `token` is null) and records each argv, one line per call.
 */
export function fakeGh(dir: string, token: string | null): { path: string; calls: () => string[] } {
  const bin = join(dir, 'fake-gh-bin');
  mkdirSync(bin, { recursive: true });
  const log = join(dir, 'gh-calls.log');
  const answer =
    token === null
      ? 'echo "You are not logged into any GitHub hosts. To log in, run: gh auth login" >&2\nexit 1'
      : `echo '${token}'`;
  writeFileSync(join(bin, 'gh'), `#!/bin/sh\necho "$*" >> '${log}'\n${answer}\n`);
  chmodSync(join(bin, 'gh'), 0o755);
  return {
    path: `${bin}${delimiter}${process.env.PATH ?? ''}`,
    calls: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
  };
}
