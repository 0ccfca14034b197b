import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { bundleWorkflowCode, DefaultLogger, Runtime } from '@temporalio/worker';
import pino from 'pino';
import { projectRoot } from '../infra/paths';
import { startEphemeralServers } from '../scripts/servers/ephemeral';
import { workflowBundling } from '../workers/worker';
import { cockpitBenchmark } from './cockpit';
import { connectorSignBenchmark } from './connector';
import { credentialsBenchmark } from './credentials';
import type { BenchContext } from './context';
import { silent } from './floor';
import { directorBenchmark } from './director';
import { healthBenchmark } from './health';
import { loadBenchmark, parseDuration } from './load';
import { type Comparison, formatTable, watchServerProcesses } from './measure';
import { connectorPairingBenchmark } from './pairing';
import { provisionBenchmark } from './provision';
import { registerBenchmark } from './register';

const BENCHMARKS: Record<string, (ctx: BenchContext) => Promise<Comparison | Comparison[]>> = {
  register: registerBenchmark,
  connector: async (ctx) => [await connectorSignBenchmark(ctx), await connectorPairingBenchmark(ctx)],
  director: directorBenchmark,
  credentials: credentialsBenchmark,
  health: healthBenchmark,
  cockpit: cockpitBenchmark,
  provision: provisionBenchmark,
  load: (ctx) => loadBenchmark(ctx, ctx.soakMs),
};

/** `npm run bench [-- name...]`: runs benchmarks against real servers, prints ratios, writes JSON. */
async function main(): Promise<void> {
  const program = new Command('bench')
    .description('Compare the project with its floor, in the same run')
    .argument('[names...]', `benchmarks to run: ${Object.keys(BENCHMARKS).join(', ')} (default: all)`)
    .option('-n, --count <n>', 'operations per round', (v) => parsePositive(v, '--count'), 300)
    .option('-c, --concurrency <n>', 'operations in flight', (v) => parsePositive(v, '--concurrency'), 8)
    .option(
      '--soak <duration>',
      'load only: then keep the mix going this long (e.g. 10m) and report memory growth',
      parseDuration,
    )
    .showHelpAfterError()
    .parse();
  const names = program.args.length > 0 ? program.args : Object.keys(BENCHMARKS);
  const unknown = names.filter((n) => !BENCHMARKS[n]);
  if (unknown.length > 0)
    program.error(`unknown benchmark: ${unknown.join(', ')} (known: ${Object.keys(BENCHMARKS).join(', ')})`);
  const { count, concurrency, soak } = program.opts<{ count: number; concurrency: number; soak?: number }>();

  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'compass-bench-'));
  const servers = await startEphemeralServers({ dir });
  watchServerProcesses(dir, ['ferretdb', 'temporal']);
  try {
    const { code } = await bundleWorkflowCode({ ...workflowBundling, logger: silent });
    const ctx: BenchContext = {
      temporalAddress: servers.temporalAddress,
      namespace: servers.namespace,
      mongoBase: servers.mongoBase,
      workflowBundle: { code },
      log: pino({ level: 'silent' }),
      count,
      concurrency,
      ...(soak !== undefined && { soakMs: soak }),
    };
    const results: Comparison[] = [];
    for (const name of names) {
      console.log(`running ${name} (${count} ops per round, concurrency ${concurrency})…`);
      results.push(...[await BENCHMARKS[name]!(ctx)].flat());
    }
    console.log(`\n${formatTable(results)}`);
    const outDir = path.join(projectRoot(), 'bench', 'results');
    mkdirSync(outDir, { recursive: true });
    const file = path.join(
      outDir,
      `${names.join('+')}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    );
    const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version };
    writeFileSync(file, JSON.stringify({ machine, count, concurrency, results }, null, 2));
    console.log(`\nresults written to ${path.relative(process.cwd(), file)}`);
  } finally {
    await servers.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function parsePositive(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer`);
  return n;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
