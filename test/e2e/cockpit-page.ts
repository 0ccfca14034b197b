import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';

/** Where the tests save screenshots (not committed); `COCKPIT_SCREENSHOTS` overrides it. */
export const SCREENSHOT_DIR =
  process.env.COCKPIT_SCREENSHOTS ?? path.join(__dirname, '..', '..', 'dist', 'cockpit-screenshots');

/** A page whose console errors and requests leaving 127.0.0.1 are collected as problems. */
export interface WatchedPage {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors, uncaught exceptions and requests to anywhere but 127.0.0.1. */
  readonly problems: string[];
}

/**
 * Opens a page that records every problem a user would not see but should never happen:
 * console errors (except those `expected` names), page errors, and external requests.
 */
export async function watchedPage(
  browser: Browser,
  options: { width?: number; height?: number; expected?: RegExp; init?: string } = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
  });
  if (options.init) await context.addInitScript(options.init);
  const problems: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.hostname === '127.0.0.1') return route.continue();
    problems.push(`request left 127.0.0.1: ${url.href}`);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' && !options.expected?.test(m.text()))
      problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return { context, page, problems };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}

/** The text box of a UI5 input (or text area) by its accessible name. */
export function field(page: Page, name: string) {
  return page.locator(`[accessible-name="${name}"]`).locator('input, textarea').first();
}

/** A button (UI5 or native) by its visible text, inside an optional container. */
export function button(scope: Page | ReturnType<Page['locator']>, text: string) {
  return scope.locator('ui5-button', { hasText: text }).first();
}
