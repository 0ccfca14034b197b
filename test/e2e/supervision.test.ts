import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bearer, launch, launchEnv, untilUp, type Launch } from './launch';
import { descendants } from '../fixtures/process-tree';

/** Polls `check` until it returns a value other than undefined; fails if `run` exits meanwhile. */
async function until<T>(run: Launch, check: () => Promise<T | undefined>, what: string): Promise<T> {
  let exited = false;
  void run.exited.then(() => (exited = true));
  for (;;) {
    if (exited) throw new Error(`npm start exited while waiting for ${what}:\n${run.output()}`);
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The one process of `run` whose command line contains `main`, once it is running. */
function processOf(run: Launch, main: string): Promise<number> {
  return until(run, async () => descendants(run.child.pid!, main)[0], main);
}

describe('npm start supervises the worker and the gateway', () => {
  let dataDir: string;
  let run: Launch;
  afterAll(async () => {
    run?.child.kill('SIGINT');
    await run?.exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('restarts each after a SIGKILL while the rest keeps serving, and stops on Ctrl-C', async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'compass-e2e-'));
    const env = await launchEnv(dataDir);
    const url = `http://127.0.0.1:${env.PORT}`;
    run = launch(env);
    await untilUp(run);
    const register = async (name: string) => {
      const res = await fetch(`${url}/director/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', tenant: 'e2e', authorization: await bearer(dataDir) },
        body: JSON.stringify({ query: `mutation { registerApplication(in: {name: "${name}"}) { name } }` }),
      });
      return (await res.json()) as unknown;
    };

    const worker = await processOf(run, path.join('dist', 'workers', 'main.js'));
    process.kill(worker, 'SIGKILL');
    await until(run, async () => (run.output().includes('worker restarted') ? true : undefined), 'restart');
    expect(run.output()).toMatch(/npm start: worker exited unexpectedly \(code 137\); restarting it in 1 s/);
    // The gateway kept running; the new worker runs the application's workflow.
    expect(await register('after-worker-crash')).toEqual({
      data: { registerApplication: { name: 'after-worker-crash' } },
    });
    expect(await processOf(run, path.join('dist', 'workers', 'main.js'))).not.toBe(worker);

    const gateway = await processOf(run, path.join('dist', 'api', 'main.js'));
    process.kill(gateway, 'SIGKILL');
    await until(run, async () => (run.output().includes('gateway restarted') ? true : undefined), 'restart');
    await until(run, async () => ((await fetch(`${url}/healthz`)).ok ? true : undefined), 'healthz');
    expect(await register('after-gateway-crash')).toEqual({
      data: { registerApplication: { name: 'after-gateway-crash' } },
    });

    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
  });
});
