/** GET /repos/{owner}/{repo} and GET /rate_limit. */
import type { Limits } from '../pipeline/limits.js';
import { renderRepo } from '../render/render-repo.js';
import { mustRepo, ok, type RouteDef } from './context.js';

export function repoRoutes(limits: Limits): RouteDef[] {
  return [
    {
      method: 'GET',
      path: '/repos/{owner}/{repo}',
      scope: 'metadata',
      docs: 'repos/repos#get-a-repository',
      handle: (req) => {
        const repo = mustRepo(req);
        // GitHub's open_issues_count includes open pull requests.
        const open = repo.issues.values(req.asOf).filter((i) => i.state === 'open').length;
        return ok(renderRepo(req.r, repo, req.profile, open));
      },
    },
    {
      method: 'GET',
      path: '/rate_limit',
      scope: 'none',
      free: true,
      docs: 'rate-limit/rate-limit#get-rate-limit-status-for-the-authenticated-user',
      handle: (req) => {
        const b = limits.budget(req.profile);
        const core = {
          limit: b.limit,
          used: b.used,
          remaining: Math.max(0, b.limit - b.used),
          reset: b.reset,
        };
        const idle = (limit: number) => ({ limit, used: 0, remaining: limit, reset: b.reset });
        return ok({
          resources: { core, search: idle(30), graphql: idle(5000), integration_manifest: idle(5000) },
          rate: core,
        });
      },
    },
  ];
}
