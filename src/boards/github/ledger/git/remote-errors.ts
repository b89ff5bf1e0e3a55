/** The ledger's git remote could not be read or written: names the remote and what git said. */
import { CodexMonitorError } from '../../../../core/errors.js';

export class LedgerRemoteError extends CodexMonitorError {
  constructor(
    readonly remote: string,
    readonly operation: string,
    detail: unknown,
  ) {
    const said = detail instanceof Error ? detail.message : String(detail);
    super(
      'LEDGER_REMOTE',
      `The claim ledger's git remote ${remote} refused or failed a ${operation}: ${said}. ` +
        'Check that this user can fetch and push refs/codex-monitor/* there (ssh keys or a ' +
        'credential helper), or set LEDGER_TRANSPORT=rest to keep the ledger on the GitHub API.',
      detail instanceof Error ? { cause: detail } : undefined,
    );
  }
}
