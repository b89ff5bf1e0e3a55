/**
 * A lost push over `file://`: the bare repository's `reference-transaction` hook, on state
 * "committed" (the refs are moved and their locks released), SIGKILLs its parent, the
 * receive-pack that applied the push — n times. The client then sees the connection end
 * before the report and exits non-zero although the server moved the ref.
 *
 * The n chances are n token files; a hook takes one by deleting it (`rm` succeeds for exactly
 * one process), so concurrent pushes never lose more than n answers.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LostPushArm {
  /** Answers still to be lost. */
  remaining(): number;
  /** Removes the hook and the remaining tokens. */
  disarm(): void;
}

/** Only receive-pack is killed: a `git update-ref` run in the repository by a test is left alone. */
const HOOK = `#!/bin/sh
# Installed by tests/support/git-server/lost-push.ts
cat >/dev/null
[ "$1" = committed ] || exit 0
case "$(tr '\\0' ' ' < /proc/$PPID/cmdline 2>/dev/null)" in
  *receive-pack*) ;;
  *) exit 0 ;;
esac
for token in "$(dirname "$0")/lost-push-tokens"/*; do
  if rm "$token" 2>/dev/null; then kill -9 "$PPID"; exit 0; fi
done
exit 0
`;

/** Makes the next `n` pushes into `bareRepoDir` (via receive-pack) lose their answers. */
export function armLostPush(bareRepoDir: string, n: number): LostPushArm {
  if (!Number.isInteger(n) || n < 1) throw new Error(`armLostPush: n must be a whole number ≥ 1, got ${n}`);
  if (!existsSync(join(bareRepoDir, 'HEAD')))
    throw new Error(
      `armLostPush: ${bareRepoDir} is not a bare repository (no HEAD); create it with createBareRepo`,
    );
  const hooks = join(bareRepoDir, 'hooks');
  const tokens = join(hooks, 'lost-push-tokens');
  mkdirSync(tokens, { recursive: true });
  const existing = readdirSync(tokens).length;
  for (let i = 0; i < n; i++) writeFileSync(join(tokens, String(existing + i)), '');
  const hook = join(hooks, 'reference-transaction');
  writeFileSync(hook, HOOK);
  chmodSync(hook, 0o755);
  return {
    remaining: () => (existsSync(tokens) ? readdirSync(tokens).length : 0),
    disarm: () => {
      rmSync(hook, { force: true });
      rmSync(tokens, { recursive: true, force: true });
    },
  };
}
