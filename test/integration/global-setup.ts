import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { startEphemeralServers, type EphemeralServers } from '../../scripts/servers/ephemeral';
import { workflowBundling } from '../../workers/worker';

declare global {
  var __compassTestServers: EphemeralServers | undefined;
}

/**
 * Starts a real Temporal dev server and a real FerretDB once for the whole run (or uses the
 * external ones named by TEMPORAL_ADDRESS / MONGODB_URI), and bundles the workflows once.
 * Test files read the addresses from COMPASS_TEST_* variables.
 */
export default async function globalSetup(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'compass-test-'));
  const [servers, bundlePath] = await Promise.all([
    startEphemeralServers({ dir, dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': '60' } }),
    bundleWorkflowCode({ ...workflowBundling, logger: quietLogger }).then(({ code }) => {
      const file = path.join(dir, 'workflow-bundle.js');
      writeFileSync(file, code);
      return file;
    }),
  ]);
  globalThis.__compassTestServers = servers;
  process.env.COMPASS_TEST_TEMPORAL_ADDRESS = servers.temporalAddress;
  process.env.COMPASS_TEST_NAMESPACE = servers.namespace;
  process.env.COMPASS_TEST_MONGODB_BASE = servers.mongoBase;
  process.env.COMPASS_TEST_WORKFLOW_BUNDLE = bundlePath;
  process.env.COMPASS_TEST_DIR = dir;
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};
