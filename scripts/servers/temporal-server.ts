import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_KEYS } from '../../domain/search-attributes';
import { spawnTethered, waitUntilReady, type Running } from './process';

export interface TemporalDevServerOptions {
  readonly binary: string;
  readonly port: number;
  /** Web UI port; null runs headless. */
  readonly uiPort: number | null;
  readonly namespace: string;
  readonly dataDir: string;
  readonly readyTimeoutMs?: number;
  /** Extra `--dynamic-config-value` settings, e.g. for tests of continue-as-new. */
  readonly dynamicConfig?: Readonly<Record<string, string>>;
}

export interface TemporalDevServer extends Running {
  readonly address: string;
}

/**
 * Starts `temporal server start-dev` on 127.0.0.1 with SQLite under `dataDir`, the custom
 * search attributes registered, and waits until the namespace answers.
 *
 * Durability: SQLite in WAL mode with synchronous=NORMAL survives process crashes and
 * restarts; only an operating-system crash can lose the last transactions.
 */
export async function startTemporalDevServer(opts: TemporalDevServerOptions): Promise<TemporalDevServer> {
  mkdirSync(opts.dataDir, { recursive: true });
  const address = `127.0.0.1:${opts.port}`;
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    '--namespace',
    opts.namespace,
    '--db-filename',
    path.join(opts.dataDir, 'temporal.db'),
    '--sqlite-pragma',
    'journal_mode=WAL',
    '--sqlite-pragma',
    'synchronous=NORMAL',
    '--log-level',
    'warn',
    ...SEARCH_ATTRIBUTE_KEYS.flatMap((k) => ['--search-attribute', `${k.name}=Keyword`]),
    ...Object.entries({
      'frontend.enableUpdateWorkflowExecution': 'true',
      'frontend.enableExecuteMultiOperation': 'true',
      ...opts.dynamicConfig,
    }).flatMap(([k, v]) => ['--dynamic-config-value', `${k}=${v}`]),
    ...(opts.uiPort === null
      ? ['--headless']
      : ['--ui-ip', '127.0.0.1', '--ui-port', String(opts.uiPort), '--ui-disable-news-fetch']),
  ];
  const proc = spawnTethered('Temporal dev server', opts.binary, args, {
    logFile: path.join(opts.dataDir, 'temporal.log'),
  });
  await waitUntilReady(proc, () => probeTemporal(address, opts.namespace), opts.readyTimeoutMs ?? 120_000);
  return { ...proc, address };
}

/** Resolves when a Temporal frontend at `address` serves `namespace`. */
export async function probeTemporal(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address, connectTimeout: 2_000 });
  try {
    await connection.withDeadline(Date.now() + 2_000, () =>
      connection.workflowService.describeNamespace({ namespace }),
    );
  } finally {
    await connection.close();
  }
}
