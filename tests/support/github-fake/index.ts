/**
 * A stateful GitHub REST fake for integration tests and benchmarks. Point Octokit at `url`
 * (`new Octokit({ baseUrl: fake.url, auth: 'test-token' })`). See docs/github-fake.md.
 */

import type { SeedData } from './model/seed.js';
import type { Store } from './model/store.js';
import type { Auth } from './pipeline/auth.js';
import { FakeServer, type ServerOptions } from './server.js';
import { defaultKnobs, type FakeStats, type FaultKnobs } from './types.js';

export { branchSha, pushBranch } from './git-push.js';
export type { MergeResult } from './model/pull-merge.js';
export type {
  CommentRecord,
  CommitObject,
  IssueRecord,
  LabelRecord,
  PullFields,
  RepoRecord,
} from './model/records.js';
export type { SeedComment, SeedData, SeedIssue, SeedRepo } from './model/seed.js';
export { DEFAULT_SEED } from './model/seed.js';
export type { IssueView } from './model/store.js';
export type { FakeApp } from './pipeline/apps.js';
export { DEFAULT_TOKEN } from './pipeline/auth.js';
export type { AuthorAssociation, FakeStats, FaultKnobs, Permission, TokenProfile } from './types.js';
export { defaultKnobs };

export interface FakeGitHubOptions extends ServerOptions {
  /** Port on 127.0.0.1 (default 0: any free port). */
  port?: number;
  /** Initial fault knobs. */
  knobs?: Partial<FaultKnobs>;
}

export interface FakeGitHub {
  /** Base URL for Octokit's `baseUrl`, e.g. `http://127.0.0.1:43123`. */
  readonly url: string;
  /** Direct, current-state access to repositories, issues, labels, comments, refs and commits. */
  readonly state: Store;
  /** Revokes and restores tokens: a revoked one is answered 401 "Bad credentials". */
  readonly auth: Pick<Auth, 'revoke' | 'restore'>;
  /** The GitHub Apps' installation tokens: how many were issued, and ending their life early. */
  readonly apps: { tokensIssued(): number; liveTokens(): string[]; expireTokens(): void };
  setKnobs(k: Partial<FaultKnobs>): void;
  knobs(): FaultKnobs;
  stats(): FakeStats;
  resetStats(): void;
  /** Forgets every token's primary and secondary rate-limit usage. */
  resetLimits(): void;
  /**
   * The bare git repository of `owner/repo` (`<gitRoot>/<owner>/<repo>.git`), to clone and push
   * to over its file path. Throws when the fake was started without `gitRoot`.
   */
  gitRemote(owner: string, repo: string): string;
  /** Adds repositories; a repository with the same name is replaced. */
  seed(data: SeedData): void;
  /** Idempotent. */
  close(): Promise<void>;
}

export async function startFakeGitHub(opts: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const server = new FakeServer(opts);
  if (opts.knobs) server.setKnobs(opts.knobs);
  const url = await server.listen(opts.port ?? 0);
  return {
    url,
    state: server.store,
    auth: server.auth,
    apps: {
      tokensIssued: () => server.apps.tokensIssued,
      liveTokens: () => server.apps.liveTokens(),
      expireTokens: () => server.apps.expireTokens(),
    },
    setKnobs: (k) => {
      server.setKnobs(k);
    },
    knobs: () => ({ ...server.faults.knobs }),
    stats: () => server.stats.snapshot(),
    resetStats: () => server.stats.reset(),
    resetLimits: () => server.limits.reset(),
    gitRemote: (owner, repo) => server.store.gitRemote(owner, repo),
    seed: (data) => server.seed(data),
    close: () => server.close(),
  };
}
