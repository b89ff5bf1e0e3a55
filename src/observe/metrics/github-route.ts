/**
 * The route template a GitHub request is counted under. Octokit passes templates
 * (`/repos/{owner}/{repo}/issues`) for routes we name; a followed `Link: rel="next"` URL is
 * concrete, so it is reduced to a template here: no query (it can carry tokens or cursors), no
 * owner, repository, number or ref name — a label's values stay few and never hold a secret.
 * GitHub's next links name a repository by id (`/repositories/123/issues`): counted as the
 * `/repos/{owner}/{repo}` route they continue.
 */
const NAMED = /\{[^}]+\}/;

export function routeTemplate(url: string): string {
  let path = url.replace(/^https?:\/\/[^/]+/i, '').split(/[?#]/)[0] ?? '';
  if (NAMED.test(path)) return path;
  path = path
    .replace(/^\/repos\/[^/]+\/[^/]+/, '/repos/{owner}/{repo}')
    .replace(/^\/repositories\/\d+/, '/repos/{owner}/{repo}')
    .replace(/\/git\/(refs|ref|matching-refs)\/.+$/, '/git/$1/{ref}')
    .replace(/\/git\/(commits|trees|blobs|tags)\/[^/]+/, '/git/$1/{sha}')
    .replace(/\/users\/[^/]+/, '/users/{username}')
    .replace(/\/\d+(?=\/|$)/g, '/{number}');
  return path === '' ? '/' : path;
}
