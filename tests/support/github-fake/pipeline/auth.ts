/** Token authentication and fine-grained permission checks. */
import { GitHubError } from '../http.js';
import type { Scope } from '../routes/context.js';
import type { Permission, TokenProfile } from '../types.js';
import { Apps } from './apps.js';

export const DEFAULT_TOKEN: TokenProfile = {
  token: 'test-token',
  login: 'test-user',
  contents: 'write',
  issues: 'write',
  pullRequests: 'write',
};

/** Fills in the defaults of a profile (full permissions unless restricted). */
export function normalizeProfile(profile: TokenProfile): TokenProfile {
  return { login: 'test-user', contents: 'write', issues: 'write', pullRequests: 'write', ...profile };
}

export class Auth {
  readonly #tokens = new Map<string, TokenProfile>();
  readonly #revoked = new Set<string>();

  readonly #apps: Apps | undefined;

  constructor(profiles: TokenProfile[], apps?: Apps) {
    for (const p of profiles) this.#tokens.set(p.token, normalizeProfile(p));
    this.#apps = apps;
  }

  /**
   * The profile for an `Authorization` header (`token X` or `Bearer X`), or a 401: a configured
   * token, a live installation token, or an app's JWT (checked, with GitHub's 401 bodies).
   */
  authenticate(header: string | undefined): TokenProfile {
    if (!header) throw new GitHubError(401, 'Requires authentication');
    const m = /^(?:token|bearer)\s+(\S+)$/i.exec(header.trim());
    const credential = m?.[1];
    if (credential !== undefined && this.#apps && Apps.isJwt(credential))
      return this.#apps.verifyJwt(credential);
    const profile =
      credential !== undefined && !this.#revoked.has(credential)
        ? (this.#tokens.get(credential) ?? this.#apps?.installationProfile(credential))
        : undefined;
    if (!profile) throw new GitHubError(401, 'Bad credentials');
    return profile;
  }

  /** A revoked token is answered as GitHub answers an unknown one (401 Bad credentials). */
  revoke(token: string): void {
    this.#revoked.add(token);
  }

  /** Makes a revoked token valid again (the user put a working token in place). */
  restore(token: string): void {
    this.#revoked.delete(token);
  }
}

/** GitHub's names for the permissions, as `x-accepted-github-permissions` spells them. */
const PERMISSION_NAMES = { contents: 'contents', issues: 'issues', pullRequests: 'pull_requests' } as const;

const rank: Record<Permission, number> = { none: 0, read: 1, write: 2 };

/**
 * Refuses a request the token's permissions do not cover, the way GitHub answers a fine-grained
 * token (403 with `x-accepted-github-permissions`). Repository metadata is always readable.
 */
export function checkPermission(profile: TokenProfile, scope: Scope, method: string, docs: string): void {
  const kind = profile.kind ?? 'user';
  const refusal = `Resource not accessible by ${kind === 'user' ? 'personal access token' : 'integration'}`;
  // An app's JWT opens the /app endpoints only; those take nothing else.
  if (scope === 'app') {
    if (kind !== 'app') throw new GitHubError(401, 'A JSON web token could not be decoded', { docs });
    return;
  }
  if (kind === 'app') throw new GitHubError(403, refusal, { docs });
  if ((scope === 'installation' && kind !== 'installation') || (scope === 'user' && kind !== 'user')) {
    throw new GitHubError(403, refusal, { docs });
  }
  if (scope === 'none' || scope === 'metadata' || scope === 'installation' || scope === 'user') return;
  const need: Permission = method === 'GET' ? 'read' : 'write';
  const have = profile[scope] ?? 'none';
  if (rank[have] >= rank[need]) return;
  throw new GitHubError(403, refusal, {
    docs,
    headers: { 'x-accepted-github-permissions': `${PERMISSION_NAMES[scope]}=${need}` },
  });
}
