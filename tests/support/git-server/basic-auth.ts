/**
 * Basic authentication as GitHub does it for tokens over git's HTTP: user `x-access-token`, the
 * token as password. A read token may fetch; only a write token may push (403 otherwise, as
 * GitHub answers a token without push access).
 */
import type { IncomingMessage } from 'node:http';

export interface GitHttpTokens {
  read: readonly string[];
  write: readonly string[];
}

export const TOKEN_USER = 'x-access-token';

/** The password of a Basic `x-access-token` authorization, or null. */
export function tokenOf(req: IncomingMessage): string | null {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return null;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 && decoded.slice(0, colon) === TOKEN_USER ? decoded.slice(colon + 1) : null;
}

/** null when `token` may do it; otherwise the status to answer (401 asks git for credentials). */
export function refusal(tokens: GitHttpTokens, token: string | null, pushing: boolean): 401 | 403 | null {
  if (token === null || (!tokens.read.includes(token) && !tokens.write.includes(token))) return 401;
  return pushing && !tokens.write.includes(token) ? 403 : null;
}
