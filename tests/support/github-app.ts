/** A GitHub App for tests: an RSA key pair made here, and the fake's view of the app. */
import { generateKeyPairSync } from 'node:crypto';
import type { FakeApp } from './github-fake/index.js';

export interface TestApp {
  /** What the fake is given (the public key only). */
  fake: FakeApp;
  /** What the daemon is given. */
  credentials: { appId: string; privateKey: string; installationId: number };
}

/** A new app with its own key pair; `slug` names its bot user `<slug>[bot]`. */
export function makeTestApp(
  options: { appId?: number; slug?: string; installationId?: number } = {},
): TestApp {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const appId = options.appId ?? 4242;
  const installationId = options.installationId ?? 777;
  return {
    fake: { appId, slug: options.slug ?? 'codex-fleet', publicKey, installationId },
    credentials: { appId: String(appId), privateKey, installationId },
  };
}

/** Another private key, not the app's: what a misconfigured workstation holds. */
export function foreignPrivateKey(): string {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;
}
