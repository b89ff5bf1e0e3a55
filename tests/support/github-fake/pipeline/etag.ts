/** Weak ETags derived from the response body, and `If-None-Match` matching. */
import { createHash } from 'node:crypto';

export function etagOf(body: string): string {
  return `W/"${createHash('sha256').update(body).digest('hex')}"`;
}

/** True when any entity tag in the header matches (weak comparison, `*` matches all). */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const mine = opaque(etag);
  return header.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === mine);
}
