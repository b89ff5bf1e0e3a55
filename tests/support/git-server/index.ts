/** Real git servers for the ledger's tests: bare repositories over file:// and smart HTTP. */
export { type BareRepoOptions, createBareRepo } from './bare-repo.js';
export type { GitHttpTokens } from './basic-auth.js';
export {
  commitObject,
  type GitRun,
  gitEnv,
  gitSync,
  leasePush,
  type RunGitOptions,
  runGit,
} from './git-env.js';
export {
  type GitHttpServer,
  type GitHttpServerOptions,
  type GitServerKnobs,
  type GitServerStats,
  type GitService,
  startGitHttpServer,
} from './http-server.js';
export { type ChainEntry, gitChain } from './ledger-chain.js';
export { armLostPush, type LostPushArm } from './lost-push.js';
