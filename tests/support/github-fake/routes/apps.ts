/**
 * GitHub App endpoints: `GET /app` and the installation token (an app's JWT), the repositories
 * an installation token reaches, and `GET /user` for a user's token (what `doctor` shows).
 */
import { iso } from '../clock.js';
import type { Apps } from '../pipeline/apps.js';
import { nodeId, renderUser } from '../render/render.js';
import { renderRepo } from '../render/render-repo.js';
import { ok, type RouteDef, routesFor } from './context.js';

const app = routesFor('app');
const installation = routesFor('installation');
const user = routesFor('user');

/** GitHub's permission names, as an installation token's `permissions` spells them. */
function permissionsOf(p: { contents?: string; issues?: string; pullRequests?: string }) {
  return {
    metadata: 'read',
    contents: p.contents ?? 'write',
    issues: p.issues ?? 'write',
    pull_requests: p.pullRequests ?? 'write',
  };
}

export function appRoutes(apps: Apps): RouteDef[] {
  return [
    app.post(
      '/app/installations/{installation_id}/access_tokens',
      'apps/apps#create-an-installation-access-token-for-an-app',
      (req) => {
        const issued = apps.issueToken(req.profile, Number(req.params.installation_id));
        return ok(
          {
            token: issued.token,
            expires_at: iso(issued.expiresAt),
            permissions: permissionsOf(issued.app),
            repository_selection: 'all',
          },
          201,
        );
      },
    ),
    app.get('/app', 'apps/apps#get-the-authenticated-app', (req) => {
      const found = apps.all.find((a) => a.appId === req.profile.appId)!;
      const owner = req.store.repos()[0]?.owner ?? 'acme';
      const t = iso(0);
      return ok({
        id: found.appId,
        slug: found.slug,
        node_id: nodeId('Integration', found.appId),
        client_id: `Iv1.${found.appId}`,
        owner: renderUser(req.r, owner, 'Organization'),
        name: found.slug,
        description: null,
        external_url: `https://example.com/${found.slug}`,
        html_url: `${req.r.html}/apps/${found.slug}`,
        created_at: t,
        updated_at: t,
        permissions: permissionsOf(found),
        events: [],
        installations_count: 1,
      });
    }),
    installation.get(
      '/installation/repositories',
      'apps/installations#list-repositories-accessible-to-the-app-installation',
      (req) => {
        const repos = req.store.repos();
        return ok({
          total_count: repos.length,
          repository_selection: 'all',
          repositories: repos.map((repo) => renderRepo(req.r, repo, req.profile, 0)),
        });
      },
    ),
    user.get('/user', 'users/users#get-the-authenticated-user', (req) => {
      const login = req.profile.login ?? 'test-user';
      // A fine-grained token's own user: GitHub's public-user fields (empty profile).
      return ok({
        ...renderUser(req.r, login),
        name: null,
        company: null,
        blog: '',
        location: null,
        email: null,
        hireable: null,
        bio: null,
        public_repos: 0,
        public_gists: 0,
        followers: 0,
        following: 0,
        created_at: iso(0),
        updated_at: iso(0),
      });
    }),
  ];
}
