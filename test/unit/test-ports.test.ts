import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(file);
    return entry.name.endsWith('.ts') ? [file] : [];
  });
}

/**
 * Tests run beside a developer's `npm start` and other test runs: a listener on a fixed port
 * fails with EADDRINUSE (and, left open, keeps jest from exiting). Every listener in a test
 * takes port 0 or one from `freePort()`.
 */
describe('listeners in tests', () => {
  const files = [...sources(path.join(ROOT, 'test')), ...sources(path.join(ROOT, 'bench'))];

  it('never listen on a fixed port', () => {
    const fixed = files.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\.listen\(\s*(?:\{\s*port:\s*)?([1-9]\d*)/g)].map(
        (m) => `${path.relative(ROOT, file)}: listen(${m[1]})`,
      ),
    );
    expect(fixed).toEqual([]);
  });

  it('give a worker process they start its own metrics port', () => {
    const missing = files.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      const startsWorker = /dist\/workers\/main|WORKER_MAIN/.test(text) && /spawn\(/.test(text);
      return startsWorker && !/\bWORKER_METRICS_PORT\b/.test(text) ? [path.relative(ROOT, file)] : [];
    });
    expect(missing).toEqual([]);
  });

  it('give every gateway port when they start a gateway from the default configuration', () => {
    const missing = files.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      if (!/startGateway\(\{/.test(text) || !/loadConfig\(\{\}\)/.test(text)) return [];
      return ['PORT', 'MTLS_PORT', 'INTERNAL_CONNECTOR_PORT']
        .filter((name) => !new RegExp(`\\b${name}\\b`).test(text) && !/\.\.\.ports\b/.test(text))
        .map((name) => `${path.relative(ROOT, file)}: ${name}`);
    });
    expect(missing).toEqual([]);
  });
});
