/**
 * The git smart-HTTP server of the workspace tests: tests/support/git-server's server with
 * Basic authentication as GitHub does it for tokens (user `x-access-token`, the token as
 * password). A read token may fetch; only a write token may push (403 otherwise, as GitHub
 * answers a token without push access). Serves the bare repositories under `projectRoot`.
 */
import { type GitHttpTokens, startGitHttpServer as startServer } from '../support/git-server/index.js';

export type { GitHttpTokens } from '../support/git-server/index.js';

export interface GitHttpServer {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Every password presented (to prove which credential git sent). */
  readonly passwordsSeen: string[];
  close(): Promise<void>;
}

export async function startGitHttpServer(projectRoot: string, tokens: GitHttpTokens): Promise<GitHttpServer> {
  const server = await startServer({ root: projectRoot, tokens });
  return {
    url: server.baseUrl,
    get passwordsSeen() {
      return server.stats().tokensSeen;
    },
    close: () => server.close(),
  };
}
