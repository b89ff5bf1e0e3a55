/**
 * A real headless Chromium for the dashboard's browser tests: Debian's `chromium` (installed by
 * .ci/run), driven by playwright-core pointed at that executable — no browser download.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

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

/** One browser for a test file: launched in beforeAll, closed in afterAll. */
export function useChromium(): () => HeadlessChromium {
  let browser: HeadlessChromium | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('the browser is not launched yet: call it inside a test');
    return browser;
  };
}

/** The few DOM names the in-page functions below use (the project compiles without the DOM library). */
interface PageElement {
  tagName: string;
  textContent: string | null;
  nextElementSibling: PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement>;
}
declare const document: PageElement;

/**
 * The rows of the dashboard table right under the `<h2>` starting with `heading` (the pages draw
 * each section as a heading and a table), each row as its cells' text; [] when "none".
 */
export function tableRows(page: Page, heading: string): Promise<string[][]> {
  return page.evaluate((start) => {
    const h2 = [...document.querySelectorAll('main h2')].find((h) => h.textContent?.startsWith(start));
    const table = h2?.nextElementSibling;
    if (table?.tagName !== 'TABLE') return [];
    return [...table.querySelectorAll('tr')]
      .slice(1)
      .map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''));
  }, heading);
}

/**
 * Waits (checked in the page on every animation frame) until the table under `heading` has a row whose
 * first cell is `first` — or, with `present` false, has none; resolves with that row's cells.
 */
export async function untilRow(
  page: Page,
  heading: string,
  first: string,
  present = true,
): Promise<string[]> {
  await page.waitForFunction(
    ([start, cell, want]) => {
      const h2 = [...document.querySelectorAll('main h2')].find((h) => h.textContent?.startsWith(start));
      const cells = h2?.nextElementSibling?.querySelectorAll('tr td:first-child');
      return [...(cells ?? [])].some((td) => td.textContent === cell) === want;
    },
    [heading, first, present] as const,
    { timeout: 30_000 },
  );
  return (await tableRows(page, heading)).find((r) => r[0] === first) ?? [];
}

/** Reads the table under `heading` until `check` accepts its rows (30 s at most); resolves with them. */
export async function untilRows(
  page: Page,
  heading: string,
  check: (rows: string[][]) => boolean,
): Promise<string[][]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const rows = await tableRows(page, heading);
    if (check(rows)) return rows;
    if (Date.now() > deadline)
      throw new Error(`the "${heading}" table never matched; last rows: ${JSON.stringify(rows)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
