import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { FERRETDB, TEMPORAL, ensureBinary } from '../../scripts/servers/binaries';
import { startFerretDb } from '../../scripts/servers/ferretdb-server';
import { freePort, type Running } from '../../scripts/servers/process';
import { startTemporalDevServer } from '../../scripts/servers/temporal-server';
import { workflowsPath } from '../../workers/worker';

declare global {
  var __compassTestServers: Running[] | undefined;
}

/**
 * Starts a real Temporal dev server and a real FerretDB once for the whole run (or uses the
 * external ones named by TEMPORAL_ADDRESS / MONGODB_URI), and bundles the workflows once.
 * Test files read the addresses from COMPASS_TEST_* variables.
 */
export default async function globalSetup(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'compass-test-'));
  const servers: Running[] = [];
  globalThis.__compassTestServers = servers;
  const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';

  const temporal = process.env.TEMPORAL_ADDRESS
    ? Promise.resolve(process.env.TEMPORAL_ADDRESS)
    : (async () => {
        const server = await startTemporalDevServer({
          binary: await ensureBinary(TEMPORAL),
          port: await freePort(),
          uiPort: null,
          namespace,
          dataDir: path.join(dir, 'temporal'),
          dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': '60' },
        });
        servers.push(server);
        return server.address;
      })();
  const mongo = process.env.MONGODB_URI
    ? Promise.resolve(process.env.MONGODB_URI.replace(/\/[^/]*$/, ''))
    : (async () => {
        const server = await startFerretDb({
          binary: await ensureBinary(FERRETDB),
          port: await freePort(),
          dataDir: dir,
        });
        servers.push(server);
        return server.uri;
      })();
  const bundle = bundleWorkflowCode({ workflowsPath, logger: quietLogger }).then(({ code }) => {
    const file = path.join(dir, 'workflow-bundle.js');
    writeFileSync(file, code);
    return file;
  });

  const [temporalAddress, mongoBase, bundlePath] = await Promise.all([temporal, mongo, bundle]);
  process.env.COMPASS_TEST_TEMPORAL_ADDRESS = temporalAddress;
  process.env.COMPASS_TEST_NAMESPACE = namespace;
  process.env.COMPASS_TEST_MONGODB_BASE = mongoBase;
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
