import { type Browser, chromium } from 'playwright-core';

/**
 * Launches headless Chromium for the Cockpit's browser tests, benchmark and screenshots:
 * `CHROMIUM_PATH` when set (a system Chromium), otherwise the build shipped inside
 * `@sparticuz/chromium`, which unpacks once into the temp directory and is reused.
 */
export async function launchChromium(): Promise<Browser> {
  const system = process.env.CHROMIUM_PATH;
  if (system) return chromium.launch({ executablePath: system, headless: true });
  const { default: packaged } = await import('@sparticuz/chromium');
  // Its Lambda-oriented --single-process makes closing a browser context take the browser down.
  const args = packaged.args.filter((a) => a !== '--single-process');
  return chromium.launch({ executablePath: await packaged.executablePath(), args });
}
