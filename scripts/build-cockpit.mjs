// Builds the Cockpit (cockpit/) into dist/cockpit with Vite, as part of `npm run build`.
// Skips the build when nothing it depends on changed since the last one (the sources, the
// Vite config and the lockfile are hashed into dist/cockpit/.build-hash).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cockpit = path.join(root, 'cockpit');
const stamp = path.join(root, 'dist', 'cockpit', '.build-hash');

/** Every file under a directory, in a stable order. */
function files(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? files(full) : [full];
    });
}

const hash = createHash('sha256');
for (const file of [...files(cockpit), path.join(root, 'package-lock.json')]) {
  hash.update(path.relative(root, file)).update('\0').update(readFileSync(file));
}
const digest = hash.digest('hex');

if (!process.argv.includes('--force') && existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) {
  process.exit(0);
}
await build({ configFile: path.join(cockpit, 'vite.config.mts') });
writeFileSync(stamp, digest);
