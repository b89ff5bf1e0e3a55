/** Reading the ledger's chains straight out of a bare repository, as the tests' ground truth. */
import { gitSync } from './git-env.js';

export type ChainEntry = { sha: string; parents: readonly string[] } & Record<string, unknown>;

/** The commits of a chain in a bare repository, newest first, with their records. */
export function gitChain(bare: string, ref: string): ChainEntry[] {
  const tip = gitSync(bare, ['for-each-ref', '--format=%(objectname)', ref]);
  if (tip === '') return [];
  return gitSync(bare, ['rev-list', '--first-parent', tip])
    .split('\n')
    .map((sha) => {
      const raw = gitSync(bare, ['cat-file', 'commit', sha]);
      const parents = raw
        .split('\n\n')[0]!
        .split('\n')
        .flatMap((l) => (l.startsWith('parent ') ? [l.slice(7)] : []));
      const message = raw.slice(raw.indexOf('\n\n') + 2);
      const json = message.slice(message.indexOf('\n\n') + 2);
      try {
        return { sha, parents, ...(JSON.parse(json) as Record<string, unknown>) };
      } catch {
        return { sha, parents, foreign: message };
      }
    });
}
