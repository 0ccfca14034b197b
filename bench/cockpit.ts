import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../scripts/chromium';
import { devAuthorization } from '../scripts/in-process-stack';
import { type BenchContext, startBenchStack } from './context';
import { type Comparison, compare, type Sample } from './measure';

const APPS = 1_000;
const RUNS = 5;
/** The rows a page of the Cockpit's applications list shows (cockpit/src/components/paged-table.tsx). */
const PAGE_ROWS = 50;

interface Load {
  readonly firstRenderMs: number;
  readonly interactiveMs: number;
  readonly jsGzip: number;
  readonly cssGzip: number;
}

/**
 * Opens `url` in a fresh browser context (cold cache) and measures first contentful paint,
 * the time until `rows` table rows are in the page and the page answers a click, and the
 * JS and CSS it loaded, gzipped (what a compressing proxy in front of the gateway sends).
 */
async function load(browser: Browser, url: string, rowSelector: string, init?: string): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  const bodies: Promise<{ type: string; size: number }>[] = [];
  page.on('response', (res) => {
    const type = res.request().resourceType();
    if (type === 'script' || type === 'stylesheet')
      bodies.push(res.body().then((b) => ({ type, size: gzipSync(b).length })));
  });
  await page.goto(url);
  // Evaluated in the page (strings, as this module is compiled without the DOM library).
  await page.waitForFunction(
    `document.querySelectorAll(${JSON.stringify(rowSelector)}).length >= ${PAGE_ROWS}`,
    undefined,
    {
      polling: 'raf',
      timeout: 60_000,
    },
  );
  const interactiveMs = (await page.evaluate(
    'new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()))))',
  )) as number;
  const firstRenderMs = (await page.evaluate(
    "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN",
  )) as number;
  const sizes = await Promise.all(bodies);
  await context.close();
  const sum = (t: string) => sizes.filter((s) => s.type === t).reduce((a, s) => a + s.size, 0);
  return { firstRenderMs, interactiveMs, jsGzip: sum('script'), cssGzip: sum('stylesheet') };
}

/** The floor: a static page with the same data table, no framework, served from memory. */
async function startFloor(rows: readonly { name: string; status: string; labels: string }[]) {
  const body = rows
    .map(
      (r) =>
        `<tr class="row"><td><a href="#">${r.name}</a></td><td>${r.status}</td><td>${r.labels}</td></tr>`,
    )
    .join('');
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>floor</title><style>table{border-collapse:collapse;font:14px sans-serif}td{padding:4px 8px;border-bottom:1px solid #ddd}</style></head><body><h1>Applications</h1><table><tbody>${body}</tbody></table></body></html>`;
  const server = http.createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end(html),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => server.close() };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function sample(subject: string, loads: readonly Load[]): Sample {
  const tti = loads.map((l) => l.interactiveMs);
  const p50 = median(tti);
  return {
    subject,
    ops: loads.length,
    seconds: tti.reduce((a, b) => a + b, 0) / 1000,
    opsPerSecond: 1000 / p50,
    p50Ms: p50,
    p99Ms: Math.max(...tti),
  };
}

/**
 * The Cockpit's applications list of a tenant with 1,000 applications, against a static
 * page holding the same rows: first render, interactive, and JS/CSS transferred.
 */
export async function cockpitBenchmark(ctx: BenchContext): Promise<Comparison> {
  const stack = await startBenchStack(ctx);
  const browser = await launchChromium();
  const tenant = `bench-${randomUUID().slice(0, 8)}`;
  const authorization = await devAuthorization();
  try {
    for (let i = 0; i < APPS; i += 100) {
      const batch = Array.from({ length: Math.min(100, APPS - i) }, (_, j) => i + j);
      await Promise.all(
        batch.map(async (n) => {
          const res = await fetch(`${stack.url}/director/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', tenant, authorization },
            body: JSON.stringify({
              query: 'mutation R($in: ApplicationRegisterInput!) { registerApplication(in: $in) { id } }',
              variables: { in: { name: `app-${String(n).padStart(4, '0')}`, labels: { region: 'eu' } } },
            }),
          });
          const json = (await res.json()) as { errors?: unknown };
          if (json.errors) throw new Error(`registerApplication failed: ${JSON.stringify(json.errors)}`);
        }),
      );
    }
    const rows = Array.from({ length: PAGE_ROWS }, (_, n) => ({
      name: `app-${String(n).padStart(4, '0')}`,
      status: 'INITIAL',
      labels: 'region=eu',
    }));
    const floor = await startFloor(rows);
    const token = authorization.replace(/^Bearer /, '');
    const init = `try { sessionStorage.setItem('cockpit.token', ${JSON.stringify(token)}) } catch {}`;
    const cockpitUrl = `${stack.url}/cockpit/${tenant}/applications`;
    const cockpit: Load[] = [];
    const plain: Load[] = [];
    try {
      await load(browser, cockpitUrl, 'ui5-table-row', init);
      for (let r = 0; r < RUNS; r++) {
        cockpit.push(await load(browser, cockpitUrl, 'ui5-table-row', init));
        plain.push(await load(browser, floor.url, 'tr.row'));
      }
    } finally {
      floor.close();
    }
    const c = {
      fr: median(cockpit.map((l) => l.firstRenderMs)),
      tti: median(cockpit.map((l) => l.interactiveMs)),
    };
    const f = {
      fr: median(plain.map((l) => l.firstRenderMs)),
      tti: median(plain.map((l) => l.interactiveMs)),
    };
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
    const js = cockpit[0]!.jsGzip;
    const css = cockpit[0]!.cssGzip;
    const floorBytes = gzipSync(Buffer.from(rows.map((r) => r.name).join(''))).length;
    console.log(
      [
        `cockpit: applications list of ${APPS} applications (page of ${PAGE_ROWS}), median of ${RUNS} cold loads`,
        `  first render   cockpit ${c.fr.toFixed(0)} ms   floor ${f.fr.toFixed(0)} ms   ratio ${(c.fr / f.fr).toFixed(1)}`,
        `  interactive    cockpit ${c.tti.toFixed(0)} ms   floor ${f.tti.toFixed(0)} ms   ratio ${(c.tti / f.tti).toFixed(1)}`,
        `  transferred    JS ${kb(js)} + CSS ${kb(css)} gzip (floor: no JS or CSS file, ${kb(floorBytes)} of row data inline)`,
      ].join('\n'),
    );
    return compare(
      'cockpit list (time to interactive)',
      sample('cockpit applications list', cockpit),
      sample('static table (floor)', plain),
      `JS ${kb(js)} + CSS ${kb(css)} gzip`,
    );
  } finally {
    await browser.close();
    await stack.close();
  }
}
