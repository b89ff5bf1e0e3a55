import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { ConfigError } from '../core/errors.js';

const COOKIE = 'codex_monitor_token';

/** Loopback addresses only this machine reaches; anything else needs SERVE_TOKEN. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** Refuses to listen beyond loopback without a token (the error never quotes a token). */
export function checkBinding(host: string, token: string | undefined): void {
  if (!isLoopback(host) && !token) {
    throw new ConfigError([
      `SERVE_HOST=${JSON.stringify(host)} is not a loopback address: set SERVE_TOKEN (16 characters or more) so every request must present it, or listen on 127.0.0.1`,
    ]);
  }
}

// Digests of equal length, so the comparison takes the same time whatever the guess.
const digest = (value: string) => createHash('sha256').update(value).digest();
export const sameSecret = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

/**
 * Every request presents the token: `Authorization: Bearer`, the cookie a browser got on its
 * first visit, or `?token=` on that visit (which sets the HttpOnly SameSite=Strict cookie).
 */
export function requireToken(token: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (!token) return next();
    const bearer = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1];
    const query = c.req.query('token');
    const given = bearer ?? query ?? getCookie(c, COOKIE);
    if (given === undefined || !sameSecret(given, token)) {
      return c.json(
        {
          error: 'unauthorized',
          reason:
            'this server requires its SERVE_TOKEN: send Authorization: Bearer <token>, or open a page once with ?token=<token>',
        },
        401,
      );
    }
    if (query !== undefined) {
      setCookie(c, COOKIE, token, { httpOnly: true, sameSite: 'Strict', path: '/' });
    }
    return next();
  };
}

/** A per-process secret the pages put in their forms; a POST without it is refused. */
export function newCsrfToken(): string {
  return randomBytes(24).toString('base64url');
}
