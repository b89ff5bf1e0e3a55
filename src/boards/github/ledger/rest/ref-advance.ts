/**
 * Moving a ledger ref, with lost responses handled. Two linearizable writes exist on GitHub:
 * `POST git/refs` (create if absent) and `PATCH git/refs/{ref}` with `force: false` (fast-forward
 * only). A commit whose only parent is the observed tip makes the PATCH a compare-and-swap.
 *
 * A 422 is a definite refusal. A 5xx (or a network error) may have been applied: we re-read the
 * ref, and a tip equal to our commit means we won; anything else proves nothing (the read may
 * lag), so we repeat the identical write, which is idempotent: a fast-forward to a sha the ref
 * already has is a no-op success, and one from our parent applies it now. Nothing is assumed.
 */
import { classify, LedgerUncertainError } from '../ledger-errors.js';
import type { AdvanceResult, Landed } from '../transport.js';

/** What moving a ref needs of the REST transport. */
export interface RefWrites {
  createRef(ref: string, sha: string): Promise<unknown>;
  updateRef(ref: string, sha: string): Promise<unknown>;
  tip(ref: string): Promise<string | null>;
  mapDenied(error: unknown, request: string): unknown;
}

const WRITE_ATTEMPTS = 4;

type Attempt = 'ok' | 'conflict' | 'unknown';

async function attempt(git: RefWrites, request: string, write: () => Promise<unknown>): Promise<Attempt> {
  try {
    await write();
    return 'ok';
  } catch (error) {
    const answer = classify(error);
    if (answer === 'conflict' || answer === 'unknown') return answer;
    throw git.mapDenied(error, request);
  }
}

/**
 * Points `ref` (`refs/...`) at `sha`: created when `parent` is null (`sha` is then a root
 * commit), else a CAS from `parent`. 'applied' means the chain holds our commit; 'rejected'
 * means another writer won. Throws LedgerUncertainError when repeated 5xx leave it unknown.
 */
export async function advanceRef(
  git: RefWrites,
  ref: string,
  sha: string,
  parent: string | null,
  landed: Landed,
): Promise<AdvanceResult> {
  const create = () => git.createRef(ref, sha);
  const update = () => git.updateRef(ref, sha);
  let uncertain = false;
  let lastAnswer = '';
  for (let i = 0; i < WRITE_ATTEMPTS; i++) {
    const answer =
      parent === null
        ? await attempt(git, 'POST git/refs', create)
        : await attempt(git, 'PATCH git/refs', update);
    lastAnswer = answer;
    if (answer === 'ok') return 'applied';
    if (answer === 'conflict') {
      if (parent === null) {
        // The ref exists, perhaps by our own create whose answer was lost (a retry plugin replays
        // it and gets 422). A fast-forward-only PATCH to our root commit succeeds iff the tip is
        // that very commit, and writes see current state, not lagged reads: a definitive check.
        const confirm = await attempt(git, 'PATCH git/refs', update);
        if (confirm === 'ok') return 'applied';
        if (confirm === 'conflict') return 'rejected';
        uncertain = true;
        continue;
      }
      if (!uncertain) return 'rejected';
      // Our earlier write may have landed and been built upon since: look down the chain.
      const tip = await git.tip(ref);
      return tip !== null && (tip === sha || (await landed(tip))) ? 'applied' : 'rejected';
    }
    uncertain = true;
    const tip = await git.tip(ref).catch(() => null);
    if (tip === sha) return 'applied';
  }
  throw new LedgerUncertainError(
    `moving ${ref} to ${sha} got no definite answer in ${WRITE_ATTEMPTS} attempts (last: ${lastAnswer})`,
  );
}
