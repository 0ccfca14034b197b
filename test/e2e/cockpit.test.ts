import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { issueDevToken, loadOrCreateDevIssuer } from '../../api/auth/dev-issuer';
import { allScopes } from '../../api/auth/scopes';
import { launchChromium } from '../../scripts/chromium';
import { bearer, type Launch, launch, launchEnv, untilUp } from './launch';
import { button, field, SCREENSHOT_DIR, screenshot, watchedPage } from './cockpit-page';

/** The built Runtime Agent (`npm run build`), run as its own process as an operator would. */
const AGENT = path.join(__dirname, '..', '..', 'dist', 'agent', 'main.js');

const SPEC = 'openapi: 3.0.0\ninfo:\n  title: Orders\n  version: 1.0.0\npaths: {}\n';

describe('Cockpit in a browser', () => {
  let dataDir: string;
  let stack: Launch;
  let url: string;
  let browser: Browser;
  let tenantSeq = 0;
  const agents: ChildProcess[] = [];
  const tenant = () => `cockpit-${process.pid}-${++tenantSeq}`;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'compass-cockpit-'));
    // Provisioning with the local provider: stages poll often and time out soon.
    const env = await launchEnv(dataDir, {
      PROVISION_POLL_SECONDS: '0.2',
      PROVISION_CREATE_TIMEOUT_SECONDS: '60',
      PROVISION_INSTALL_TIMEOUT_SECONDS: '30',
      PROVISION_CONNECT_TIMEOUT_SECONDS: '30',
      PROVISION_DELETE_TIMEOUT_SECONDS: '30',
      PROVISION_STEP_TIMEOUT_SECONDS: '30',
    });
    url = `http://127.0.0.1:${env.PORT}`;
    stack = launch(env);
    [browser] = await Promise.all([launchChromium(), untilUp(stack)]);
  }, 180_000);

  afterAll(async () => {
    for (const a of agents) a.kill('SIGKILL');
    // Agents the local provider started (detached) and a failed test left behind.
    const runtimes = path.join(dataDir, 'runtimes');
    for (const t of existsSync(runtimes) ? readdirSync(runtimes) : []) {
      for (const id of readdirSync(path.join(runtimes, t))) {
        const file = path.join(runtimes, t, id, 'cluster.json');
        if (!existsSync(file)) continue;
        const pid = (JSON.parse(readFileSync(file, 'utf8')) as { agent?: { pid: number } }).agent?.pid;
        try {
          if (pid) process.kill(-pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    await browser?.close();
    stack?.child.kill('SIGINT');
    await stack?.exited;
    if (process.env.COCKPIT_DOCS_SCREENSHOTS) {
      const docs = path.join(__dirname, '..', '..', 'docs', 'screenshots');
      mkdirSync(docs, { recursive: true });
      for (const name of [
        'applications',
        'bundle',
        'connect',
        'runtime',
        'runtimes',
        'health',
        'credentials',
        'provision',
        'timeline',
        'operations',
      ]) {
        copyFileSync(path.join(SCREENSHOT_DIR, `${name}.png`), path.join(docs, `cockpit-${name}.png`));
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function gql(t: string, query: string, variables: Record<string, unknown> = {}) {
    const res = await fetch(`${url}/director/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', tenant: t, authorization: await bearer(dataDir) },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
  }

  /** Chooses an item of a UI5 combo box by typing its text. */
  async function choose(page: Page, name: string, text: string) {
    await field(page, name).fill(text);
    await field(page, name).press('Enter');
  }

  it('registers an application, adds a bundle with an API, connects it, and shares a scenario with a runtime', async () => {
    const { page, problems, context } = await watchedPage(browser);
    const t = tenant();
    await page.goto(`${url}/`);
    await page.waitForURL(/\/cockpit\/[^/]+\/applications$/);
    await page.goto(`${url}/cockpit/${t}/applications`);
    await page.getByText('No applications yet').waitFor();

    await button(page, 'Register application').click();
    await page
      .locator('ui5-dialog[open]')
      .waitFor()
      .catch(async (e: unknown) => {
        await screenshot(page, 'failure');
        throw e;
      });
    await field(page, 'Name').fill('orders');
    await field(page, 'Provider').fill('ACME');
    await button(page.locator('ui5-dialog'), 'Register').click();
    await page.waitForURL(/\/applications\/[0-9a-f-]{36}$/);
    await page.locator('.page-title ui5-title', { hasText: 'orders' }).waitFor();

    await button(page, 'Add bundle').click();
    const dialog = page.locator('ui5-dialog[open]');
    await field(page, 'Bundle name').fill('orders-api');
    await field(page, 'API name').fill('orders-v1');
    await field(page, 'Target URL').fill('https://orders.example.com/api');
    await field(page, 'Spec').fill(SPEC);
    await button(dialog, 'Add bundle').click();
    await page.locator('ui5-link', { hasText: 'orders-api' }).click();
    await page.waitForURL(/\/bundles\//);
    await page.locator('ui5-table[accessible-name="API definitions"]').getByText('orders-v1').waitFor();
    await screenshot(page, 'bundle');
    await page.locator('[accessible-name="View spec of orders-v1"]').click();
    await page.getByTestId('spec-text').getByText('title: Orders').waitFor();
    await button(page.locator('ui5-dialog[open]'), 'Close').click();

    await page.goBack();
    await page.waitForURL(/\/applications\/[0-9a-f-]{36}$/);
    await button(page, 'Connect').click();
    const token = field(page, 'Token');
    await page.getByTestId('connect-token').waitFor();
    expect(await token.inputValue()).toMatch(/\S{10,}/);
    expect(await field(page, 'Connector URL').inputValue()).toContain('/connector/graphql');
    expect(await field(page, 'Legacy connector URL').inputValue()).toContain('token=');
    const pairings = await page.getByTestId('pairing-temporal-link').getAttribute('href');
    expect(decodeURIComponent(pairings!)).toMatch(
      new RegExp(`TenantId="${t}" AND ApplicationId="[0-9a-f-]{36}" AND WorkflowType="pairingWorkflow"`),
    );
    await screenshot(page, 'connect');
    await button(page.locator('ui5-dialog[open]'), 'Close').click();
    const temporal = await page.getByTestId('temporal-link').getAttribute('href');
    expect(decodeURIComponent(temporal!)).toContain(`TenantId="${t}" AND ApplicationId=`);

    await page.locator('ui5-side-navigation-item[text="Runtimes"]').click();
    await button(page, 'Register runtime').click();
    await field(page, 'Name').fill('shop-cluster');
    await button(page.locator('ui5-dialog'), 'Register').click();
    await page.waitForURL(/\/runtimes\/[0-9a-f-]{36}$/);
    const runtimeUrl = page.url();
    // Registered without scenarios, the runtime joins DEFAULT, which the application is in too.
    await page
      .locator('ui5-table[accessible-name="Applications of the runtime"]')
      .getByText('orders')
      .waitFor();

    await page.locator('ui5-side-navigation-item[text="Scenarios"]').click();
    await field(page, 'New scenario').fill('CHECKOUT');
    await button(page, 'Add scenario').click();
    const row = page.locator('ui5-table-row[row-key="CHECKOUT"]');
    await button(row, 'Assign').click();
    await choose(page, 'Application', 'orders');
    await choose(page, 'Runtime', 'shop-cluster');
    await button(page.locator('ui5-dialog[open]'), 'Assign').click();
    await page.locator('ui5-dialog[open]').waitFor({ state: 'detached' });

    await page.goto(runtimeUrl);
    await page
      .locator('ui5-table[accessible-name="Applications of the runtime"]')
      .getByText('orders')
      .waitFor();
    await screenshot(page, 'runtime');

    await page.goto(`${url}/cockpit/${t}/applications?label=scenarios%3DCHECKOUT`);
    await page
      .locator('ui5-link', { hasText: 'orders' })
      .waitFor()
      .catch(async (err: unknown) => {
        // Says whether the label or the page went missing.
        const stored = await gql(t, '{ applications { data { name labels } } }');
        const shown = await page.locator('section[aria-label="Applications"]').innerText().catch(String);
        throw new Error(`${String(err)}\nstored: ${JSON.stringify(stored)}\nshown: ${shown}`);
      });
    await screenshot(page, 'applications');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows a runtime whose agent heartbeats as CONNECTED and HEALTHY, with its checks and health history', async () => {
    const { page, problems, context } = await watchedPage(browser);
    const t = tenant();
    const created = await gql(t, 'mutation { registerRuntime(in: { name: "edge-cluster" }) { id } }');
    const id = (created.data!.registerRuntime as { id: string }).id;
    await gql(t, 'mutation { registerRuntime(in: { name: "silent-cluster" }) { id } }');
    await page.goto(`${url}/cockpit/${t}/runtimes/${id}`);
    await button(page, 'Connect').click();
    await page.getByTestId('connect-token').waitFor();
    const pairing = await page.getByTestId('pairing-temporal-link').getAttribute('href');
    expect(decodeURIComponent(pairing!)).toContain(
      `TenantId="${t}" AND RuntimeId="${id}" AND WorkflowType="pairingWorkflow"`,
    );
    await button(page.locator('ui5-dialog[open]'), 'Close').click();

    // A real agent process pairs with a fresh token and heartbeats every half second.
    const ott = await gql(t, `mutation { requestOneTimeTokenForRuntime(id: "${id}") { rawEncoded } }`);
    const token = (ott.data!.requestOneTimeTokenForRuntime as { rawEncoded: string }).rawEncoded;
    const agent = spawn(
      process.execPath,
      [
        AGENT,
        'run',
        '--state-dir',
        path.join(dataDir, `agent-${id}`),
        '--sync-period',
        '1',
        '--heartbeat-interval',
        '0.5',
        '--allow-short-periods',
        '--status-port',
        '0',
        '--log-level',
        'warn',
      ],
      { env: { PATH: process.env.PATH, TOKEN: token }, stdio: 'ignore' },
    );
    agents.push(agent);

    // The runtime page polls: status and health change without a reload.
    await page
      .getByTestId('runtime-status')
      .locator('[data-condition="CONNECTED"]')
      .waitFor({ timeout: 60_000 });
    await page
      .getByTestId('runtime-health-badge')
      .locator('[data-condition="HEALTHY"]')
      .waitFor({ timeout: 60_000 });
    await page.getByRole('tab', { name: 'Health and operations' }).click();
    await page.waitForURL(/tab=health/);
    await page.locator('ui5-table[accessible-name="Health checks"] ui5-table-row').first().waitFor();
    await page
      .locator('ui5-table[accessible-name="Health history"] [data-condition="HEALTHY"]')
      .first()
      .waitFor({ timeout: 30_000 });
    await screenshot(page, 'health');

    await page.goto(`${url}/cockpit/${t}/runtimes`);
    const row = page.locator(`ui5-table-row[row-key="${id}"]`);
    await row.locator('[data-condition="HEALTHY"]').waitFor();
    expect(await row.locator('[data-timestamp]').count()).toBe(1);
    await page.locator('ui5-link', { hasText: 'silent-cluster' }).waitFor();
    await screenshot(page, 'runtimes');

    await page.goto(`${url}/cockpit/${t}/runtimes?health=HEALTHY`);
    await row.locator('[data-condition="HEALTHY"]').waitFor();
    expect(await page.locator('ui5-link', { hasText: 'silent-cluster' }).count()).toBe(0);
    await page.goto(`${url}/cockpit/${t}/runtimes?health=UNKNOWN`);
    await page.locator('ui5-link', { hasText: 'silent-cluster' }).waitFor();
    expect(await page.locator('ui5-link', { hasText: 'edge-cluster' }).count()).toBe(0);

    agent.kill('SIGKILL');
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it('lists a bundle’s credential requests and follows them from PENDING to SUCCEEDED, FAILED and deleted', async () => {
    const { page, problems, context } = await watchedPage(browser);
    const t = tenant();
    const app = await gql(t, 'mutation { registerApplication(in: { name: "billing" }) { id } }');
    const appId = (app.data!.registerApplication as { id: string }).id;
    const bundle = await gql(
      t,
      `mutation { addBundle(applicationID: "${appId}", in: { name: "billing-api" }) { id } }`,
    );
    const bundleId = (bundle.data!.addBundle as { id: string }).id;
    await page.goto(`${url}/cockpit/${t}/applications/${appId}/bundles/${bundleId}`);
    const table = page.locator('ui5-table[accessible-name="Credential requests"]');
    await table.getByText('No credential requests').waitFor();

    const request = async () => {
      const before = await table.locator('ui5-table-row[row-key]').count();
      await button(page, 'Request credentials').click();
      await field(page, 'Context').fill('{"namespace":"shop"}');
      await button(page.locator('ui5-dialog[open]'), 'Request').click();
      await page.locator('ui5-dialog[open]').waitFor({ state: 'detached' });
      await table.locator('ui5-table-row[row-key]').nth(before).waitFor();
    };
    await request();
    const first = table.locator('ui5-table-row[row-key]').first();
    const id = (await first.getAttribute('row-key'))!;
    await first.locator('[data-condition="PENDING"]').waitFor();
    const link = await first.getByTestId('credential-temporal-link').getAttribute('href');
    expect(decodeURIComponent(link!)).toContain(`WorkflowId="credentials/${t}/${id}"`);

    // The application answers through the API; the list, polling, shows it without a reload.
    const set = await gql(
      t,
      `mutation { setBundleInstanceAuth(authID: "${id}", in: { auth: { credential: { basic: { username: "svc", password: "s3cret" } } } }) { id } }`,
    );
    expect(set.errors).toBeUndefined();
    await first.locator('[data-condition="SUCCEEDED"]').waitFor({ timeout: 15_000 });
    await first.getByText('basic · svc').waitFor();

    await request();
    const second = table.locator(`ui5-table-row[row-key]:not([row-key="${id}"])`);
    await second.locator('[data-condition="PENDING"]').waitFor();
    await button(second, 'Fail').click();
    await field(page, 'Message').fill('no such namespace');
    await button(page.locator('ui5-dialog[open]'), 'Fail').click();
    await second.locator('[data-condition="FAILED"]').waitFor();
    await second.getByText('no such namespace').waitFor();
    await screenshot(page, 'credentials');

    await button(second, 'Delete').click();
    await button(page.locator('ui5-dialog[open]'), 'Delete').click();
    await second.waitFor({ state: 'detached' });
    expect(await table.locator('ui5-table-row[row-key]').count()).toBe(1);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('provisions a runtime with the local provider, shows its stages live until CONNECTED and HEALTHY, then deprovisions it', async () => {
    const { page, problems, context } = await watchedPage(browser);
    const t = tenant();
    await page.goto(`${url}/cockpit/${t}/runtimes`);
    await button(page, 'Provision runtime').click();
    await page.waitForURL(/\/runtimes\/provision$/);
    await field(page, 'Name').fill('edge-provisioned');
    await field(page, 'Labels').fill('team=blue');
    // The local provider's config schema makes the form: its fields, their limits.
    const sync = field(page, 'Sync period seconds');
    await sync.fill('0');
    await page.locator('[data-field="syncPeriodSeconds"] [value-state="Negative"]').waitFor();
    await sync.fill('1');
    await field(page, 'Heartbeat interval seconds').fill('0.5');
    await field(page, 'Ready after seconds').fill('3');
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.locator('.content').evaluate((e) => e.scrollTo(0, 0));
    await screenshot(page, 'provision');
    await page.locator('.form-actions ui5-button', { hasText: 'Provision' }).click();
    await page.waitForURL(/\/runtimes\/[0-9a-f-]{36}\/operations\/[0-9a-f-]{36}$/);
    const [, runtimeId, operationId] = /\/runtimes\/([^/]+)\/operations\/([^/]+)$/.exec(page.url())!;

    // The timeline follows the operation without a reload: a stage running, then the result.
    const timeline = page.getByTestId('operation-timeline');
    await timeline.getByTestId('timeline-pending').waitFor();
    await timeline
      .locator('[data-stage="WaitingForClusterCreation"][data-state="InProgress"]')
      .waitFor({ timeout: 30_000 });
    await timeline
      .locator('[data-testid="timeline-result"][data-state="Succeeded"]')
      .waitFor({ timeout: 60_000 });
    const stages = await timeline
      .getByTestId('timeline-stage')
      .evaluateAll((items) => items.map((i) => [i.getAttribute('data-stage'), i.getAttribute('data-state')]));
    expect(stages).toEqual([
      ['RegisterRuntime', 'Succeeded'],
      ['CreateCluster', 'Succeeded'],
      ['WaitingForClusterCreation', 'Succeeded'],
      ['ConnectRuntimeAgent', 'Succeeded'],
      ['WaitForAgentToConnect', 'Succeeded'],
    ]);
    await timeline.getByText('attempt 1').first().waitFor();
    const workflow = await page.getByTestId('operation-temporal-link').getAttribute('href');
    expect(decodeURIComponent(workflow!)).toContain(
      `WorkflowId="provision/${t}/${runtimeId}/${operationId}"`,
    );
    await page.getByTestId('operation-runtime-status').locator('[data-condition="CONNECTED"]').waitFor();
    await screenshot(page, 'timeline');

    // The runtime its agent connected: CONNECTED, then HEALTHY once it heartbeats.
    await button(page, 'Open runtime').click();
    await page.waitForURL(new RegExp(`/runtimes/${runtimeId}$`));
    await page.getByTestId('runtime-status').locator('[data-condition="CONNECTED"]').waitFor();
    await page
      .getByTestId('runtime-health-badge')
      .locator('[data-condition="HEALTHY"]')
      .waitFor({ timeout: 30_000 });
    await page.getByRole('tab', { name: 'Health and operations' }).click();
    const operations = page.locator('ui5-table[accessible-name="Operations"]');
    const provisioned = operations.locator(`ui5-table-row[row-key="${operationId}"]`);
    await provisioned.locator('[data-condition="Succeeded"]').waitFor();
    const link = await provisioned.getByTestId('operation-temporal-link').getAttribute('href');
    expect(decodeURIComponent(link!)).toContain(`WorkflowId="provision/${t}/${runtimeId}/${operationId}"`);
    await operations.scrollIntoViewIfNeeded();
    await screenshot(page, 'operations');

    await button(page, 'Deprovision').click();
    await button(page.locator('ui5-dialog[open]'), 'Deprovision').click();
    await page.waitForURL(new RegExp(`/runtimes/${runtimeId}/operations/(?!${operationId})[0-9a-f-]{36}$`));
    await timeline
      .locator('[data-testid="timeline-result"][data-state="Succeeded"]')
      .waitFor({ timeout: 60_000 });
    expect(
      await timeline
        .getByTestId('timeline-stage')
        .evaluateAll((items) => items.map((i) => i.getAttribute('data-stage'))),
    ).toEqual([
      'RevokeCredentials',
      'RemoveAgent',
      'DeprovisionCluster',
      'WaitForClusterDeletion',
      'UnregisterRuntime',
    ]);
    await page.getByTestId('runtime-gone').waitFor();
    await page.goto(`${url}/cockpit/${t}/runtimes`);
    await page.getByText('No runtimes yet.').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  }, 180_000);

  it('shows the API’s own message when the input is invalid', async () => {
    const { page, problems, context } = await watchedPage(browser);
    const t = tenant();
    const api = await gql(
      t,
      'mutation { registerApplication(in: { name: "shop", baseUrl: "not a url" }) { id } }',
    );
    const message = api.errors?.[0]?.message;
    expect(message).toBeTruthy();
    await page.goto(`${url}/cockpit/${t}/applications`);
    await button(page, 'Register application').click();
    await field(page, 'Name').fill('shop');
    await field(page, 'Base URL').fill('not a url');
    await button(page.locator('ui5-dialog'), 'Register').click();
    const alert = page.locator('ui5-dialog[open] ui5-message-strip[role="alert"]');
    await alert.waitFor();
    expect(await alert.textContent()).toContain(message!);
    await screenshot(page, 'invalid-input');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows the sign-in screen for an expired token and for one the gateway rejects', async () => {
    const issuer = await loadOrCreateDevIssuer(dataDir);
    const expired = await issueDevToken(issuer, {
      tenant: '',
      scopes: allScopes(),
      consumerId: 'e2e',
      ttlSec: -60,
    });
    const forged = await issueDevToken(
      { ...issuer, hs256Secret: Buffer.alloc(32, 7).toString('base64url') },
      { tenant: '', scopes: allScopes(), consumerId: 'e2e', ttlSec: 600 },
    );
    for (const token of [expired, forged]) {
      const { page, problems, context } = await watchedPage(browser, {
        init: `try { sessionStorage.setItem('cockpit.token', ${JSON.stringify(token)}) } catch {}`,
        expected: /status of 401/,
      });
      await page.goto(`${url}/cockpit/${tenant()}/applications`);
      await page.getByTestId('sign-in-reason').waitFor();
      expect(await page.getByTestId('sign-in-reason').textContent()).toContain('expired or was rejected');
      if (token === forged) await screenshot(page, 'sign-in');
      expect(problems).toEqual([]);
      await context.close();
    }
  });

  it('works in a narrow window: the navigation collapses and the list stays usable', async () => {
    const { page, problems, context } = await watchedPage(browser, { width: 420, height: 800 });
    const t = tenant();
    await gql(t, 'mutation { registerApplication(in: { name: "narrow-app" }) { id } }');
    await page.goto(`${url}/cockpit/${t}/applications`);
    await page.locator('ui5-link', { hasText: 'narrow-app' }).waitFor();
    expect(await page.locator('ui5-side-navigation').getAttribute('collapsed')).not.toBeNull();
    await screenshot(page, 'narrow');
    expect(problems).toEqual([]);
    await context.close();
  });
});
