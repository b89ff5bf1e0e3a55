/**
 * GitHub Apps: the app authenticates with a JWT it signs with its private key (RS256), trades
 * it for an installation token (`POST /app/installations/{id}/access_tokens`), and requests with
 * that token act as the app's bot user (`<slug>[bot]`) on the installation's own rate budget.
 * The JWT is checked as GitHub checks it: signature, issuer, `iat` not in the future, `exp` in
 * the future and at most 10 minutes after `iat`.
 */
import { createPublicKey, randomBytes, verify } from 'node:crypto';
import type { ServerClock } from '../clock.js';
import { GitHubError } from '../http.js';
import type { Permission, TokenProfile } from '../types.js';

/** One app and its one installation (on every seeded repository). */
export interface FakeApp {
  appId: number;
  /** The app's slug; its bot user is `<slug>[bot]`. */
  slug: string;
  /** The app's public key (PEM): JWTs must be signed by its private key. */
  publicKey: string;
  installationId: number;
  /** The installation's primary budget per hour (default 5000, GitHub's floor for installations). */
  primaryLimit?: number;
  /** How long an installation token lives (default one hour, as on GitHub). */
  tokenTtlMs?: number;
  contents?: Permission;
  issues?: Permission;
  pullRequests?: Permission;
}

const HOUR = 3_600_000;
const JWT_DOCS = 'apps/apps#create-an-installation-access-token-for-an-app';
/** GitHub's messages for refused JWTs (401). */
const UNDECODABLE = 'A JSON web token could not be decoded';
const EXPIRED =
  "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires";
const TOO_LONG = "'Expiration time' claim ('exp') is too far in the future";
const ISSUED_LATER =
  "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued";

interface Issued {
  profile: TokenProfile;
  expiresAt: number;
}

const unauthorized = (message: string) => new GitHubError(401, message, { docs: JWT_DOCS });

function decodePart(part: string | undefined): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));
    if (value && typeof value === 'object') return value as Record<string, unknown>;
  } catch {
    // refused below
  }
  throw unauthorized(UNDECODABLE);
}

export class Apps {
  readonly #apps: FakeApp[];
  readonly #clock: ServerClock;
  readonly #issued = new Map<string, Issued>();
  /** Installation tokens handed out so far (tests check that a refresh happened). */
  tokensIssued = 0;

  constructor(apps: FakeApp[], clock: ServerClock) {
    this.#apps = apps;
    this.#clock = clock;
  }

  get all(): readonly FakeApp[] {
    return this.#apps;
  }

  /** Whether a credential looks like a JWT (three base64url parts), not a token. */
  static isJwt(credential: string): boolean {
    return /^eyJ[\w-]*\.[\w-]+\.[\w-]+$/.test(credential);
  }

  /** The app a JWT speaks for, or a 401 in GitHub's shape. */
  verifyJwt(jwt: string): TokenProfile {
    const [head, body, signature] = jwt.split('.');
    const header = decodePart(head);
    const claims = decodePart(body);
    const app = this.#apps.find((a) => String(a.appId) === String(claims.iss));
    if (header.alg !== 'RS256' || !app) throw unauthorized(UNDECODABLE);
    const signed = verify(
      'RSA-SHA256',
      Buffer.from(`${head}.${body}`),
      createPublicKey(app.publicKey),
      Buffer.from(signature ?? '', 'base64url'),
    );
    if (!signed) throw unauthorized(UNDECODABLE);
    const now = Math.floor(this.#clock.now() / 1000);
    const { iat, exp } = claims;
    if (typeof iat !== 'number' || iat > now + 60) throw unauthorized(ISSUED_LATER);
    if (typeof exp !== 'number' || exp <= now) throw unauthorized(EXPIRED);
    if (exp - iat > 600) throw unauthorized(TOO_LONG);
    return { token: jwt, kind: 'app', appId: app.appId, login: app.slug, bucket: `app:${app.appId}` };
  }

  /** A new installation token for the app `profile` (a verified JWT) speaks for. */
  issueToken(
    profile: TokenProfile,
    installationId: number,
  ): { token: string; expiresAt: number; app: FakeApp } {
    const app = this.#apps.find((a) => a.appId === profile.appId && a.installationId === installationId);
    if (!app) throw new GitHubError(404, 'Not Found', { docs: JWT_DOCS });
    const token = `ghs_${randomBytes(18).toString('hex')}`;
    // GitHub's expires_at has whole seconds.
    const expiresAt = Math.floor((this.#clock.now() + (app.tokenTtlMs ?? HOUR)) / 1000) * 1000;
    this.#issued.set(token, {
      expiresAt,
      profile: {
        token,
        kind: 'installation',
        appId: app.appId,
        installationId,
        login: `${app.slug}[bot]`,
        // A bot is no member of the repository: its comments carry NONE (trust comes from config).
        association: 'NONE',
        contents: app.contents ?? 'write',
        issues: app.issues ?? 'write',
        pullRequests: app.pullRequests ?? 'write',
        // One budget per installation, whichever of its tokens is used.
        bucket: `installation:${installationId}`,
        primaryLimit: app.primaryLimit ?? 5000,
      },
    });
    this.tokensIssued++;
    return { token, expiresAt, app };
  }

  /** The profile of a live installation token; undefined for unknown or expired tokens. */
  installationProfile(token: string): TokenProfile | undefined {
    const issued = this.#issued.get(token);
    return issued && this.#clock.now() < issued.expiresAt ? issued.profile : undefined;
  }

  /** The installation tokens GitHub would accept now (a git server in a test checks against them). */
  liveTokens(): string[] {
    const now = this.#clock.now();
    return [...this.#issued].filter(([, issued]) => now < issued.expiresAt).map(([token]) => token);
  }

  /** Ends the life of every installation token issued so far (as if their hour had passed). */
  expireTokens(): void {
    for (const issued of this.#issued.values()) issued.expiresAt = 0;
  }
}
