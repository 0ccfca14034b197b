import { rmSync } from 'node:fs';

/** Stops the servers globalSetup started and removes their data. */
export default async function globalTeardown(): Promise<void> {
  await globalThis.__compassTestServers?.stop();
  const dir = process.env.COMPASS_TEST_DIR;
  if (dir) rmSync(dir, { recursive: true, force: true });
}
