/**
 * A real headless Chromium: Debian's `chromium` (installed by .ci/run), driven by playwright-core
 * pointed at that executable — no browser download. Free of vitest, so scripts use it too
 * (scripts/docs-screenshots.ts).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** Where the browser is: CHROMIUM_PATH, or Debian's package. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** What this machine (a container without a display, GPU or sandbox support) needs. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface HeadlessChromium {
  /** The one browser context (its profile is the fresh user-data-dir). */
  context: BrowserContext;
  /** A new page whose dialogs (alert, confirm…) and script errors are recorded, never answered. */
  newPage(): Promise<WatchedPage>;
  /** Every dialog any page of this browser opened: an injected script ran when this is not empty. */
  dialogs: string[];
  /** Closes the browser and removes its profile; idempotent. */
  close(): Promise<void>;
}

export interface WatchedPage {
  page: Page;
  /** Uncaught script errors on the page (the dashboard's own script must raise none). */
  errors: string[];
}

/**
 * Launches Chromium with a fresh profile at a fixed viewport. Fails (never skips) when the
 * executable is missing: the proof the issue asks for needs a real browser.
 */
export async function launchChromium(
  viewport: { width: number; height: number } = { width: 1280, height: 800 },
): Promise<HeadlessChromium> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not at ${CHROMIUM_PATH}: the dashboard's browser tests need it. Install Debian's ` +
        'package (apt-get install --no-install-recommends chromium; .ci/run does) or set CHROMIUM_PATH ' +
        'to a Chromium executable.',
    );
  }
  const profile = mkdtempSync(join(tmpdir(), 'codex-monitor-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: FLAGS,
      viewport,
    });
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  const dialogs: string[] = [];
  let closed: Promise<void> | null = null;
  return {
    context,
    dialogs,
    async newPage() {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('dialog', (dialog) => {
        dialogs.push(`${dialog.type()}: ${dialog.message()}`);
        void dialog.dismiss();
      });
      page.on('pageerror', (error) => errors.push(error.message));
      return { page, errors };
    },
    close() {
      closed ??= context.close().finally(() => rmSync(profile, { recursive: true, force: true }));
      return closed;
    },
  };
}
