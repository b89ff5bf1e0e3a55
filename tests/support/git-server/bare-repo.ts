/**
 * A bare repository as a git host keeps one, for the ledger's tests.
 *
 * git's own defaults are kept on purpose, because they are what a hosted server does for a
 * `refs/codex-monitor/*` ref (no branch protection applies outside refs/heads):
 * - `receive.denyNonFastForwards` unset (false): a lease may move a ref backwards or sideways,
 *   which chain compaction needs. (`git init --shared` would set it to true.)
 * - `receive.denyDeletes` unset (false): a ref may be deleted by lease (doctor's probe ref).
 * - `core.logAllRefUpdates` false in a bare repository: no reflog grows with each heartbeat.
 * - `core.filesRefLockTimeout` 100 ms: racing pushes wait that long for the ref lock, then the
 *   loser fails; either way receive-pack checks the old value under the lock.
 * - `receive.autogc` true: after a push, `gc --auto` may pack objects and refs, as hosts do.
 * No template is copied (`--template=`), so the machine's templates cannot add hooks.
 */
import { mkdirSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { gitSync } from './git-env.js';

export interface BareRepoOptions {
  /** Where HEAD points (default `main`); the repository starts empty. */
  initialBranch?: string;
}

/** `git init --bare` at `dir` (created, must be absolute) in a controlled environment; returns `dir`. */
export function createBareRepo(dir: string, options: BareRepoOptions = {}): string {
  if (!isAbsolute(dir)) {
    throw new Error(`createBareRepo: dir must be an absolute path, got ${JSON.stringify(dir)}`);
  }
  mkdirSync(dir, { recursive: true });
  const branch = options.initialBranch ?? 'main';
  gitSync(dir, ['init', '--quiet', '--bare', '--template=', `--initial-branch=${branch}`, dir]);
  return dir;
}
