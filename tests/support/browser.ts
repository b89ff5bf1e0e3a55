/**
 * The dashboard's browser tests: one headless Chromium per file (chromium.ts launches it) and
 * readers of the pages' heading-plus-table sections.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { type HeadlessChromium, launchChromium } from './chromium.js';

export { CHROMIUM_PATH, type HeadlessChromium, launchChromium, type WatchedPage } from './chromium.js';

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
