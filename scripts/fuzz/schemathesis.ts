import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The Schemathesis release the fuzz run uses, installed from PyPI into a cache outside the checkout. */
export const SCHEMATHESIS_VERSION = '4.32.5';

/** `st` of a virtualenv under `~/.cache/compass-fuzz/` holding the pinned Schemathesis (installed once). */
export function ensureSchemathesis(log: (line: string) => void): string {
  const venv = path.join(os.homedir(), '.cache', 'compass-fuzz', `schemathesis-${SCHEMATHESIS_VERSION}`);
  const st = path.join(venv, 'bin', 'st');
  if (existsSync(st)) return st;
  log(`installing schemathesis ${SCHEMATHESIS_VERSION} into ${venv} (once)…`);
  mkdirSync(path.dirname(venv), { recursive: true });
  const python = process.env.PYTHON ?? 'python3';
  execFileSync(python, ['-m', 'venv', venv], { stdio: 'inherit' });
  execFileSync(
    path.join(venv, 'bin', 'pip'),
    ['install', '--quiet', '--disable-pip-version-check', `schemathesis==${SCHEMATHESIS_VERSION}`],
    { stdio: 'inherit' },
  );
  return st;
}

export interface SchemathesisRun {
  readonly st: string;
  /** The GraphQL endpoint; Schemathesis reads its schema by introspection. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Directory holding `hooks.py`. */
  readonly hooksDir: string;
  /** Where Schemathesis keeps its cache and reports (outside the checkout). */
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly maxExamples: number;
  readonly seed: number;
  /** Extra `st run` arguments (client certificate, TLS verification). */
  readonly extraArgs?: readonly string[];
}

/** Runs `st run` against one schema with the project's hooks; resolves with its exit code. */
export function runSchemathesis(run: SchemathesisRun): Promise<number | null> {
  const args = [
    'run',
    run.url,
    '--checks',
    'compass_oracle',
    '--workers',
    '1',
    '--max-examples',
    String(run.maxExamples),
    '--seed',
    String(run.seed),
    '--no-shrink',
    '--continue-on-failure',
    '--request-timeout',
    '90',
    '--suppress-health-check',
    'all',
    '--warnings',
    'off',
    ...Object.entries(run.headers).flatMap(([k, v]) => ['--header', `${k}: ${v}`]),
    ...(run.extraArgs ?? []),
  ];
  const child = spawn(run.st, args, {
    env: {
      ...process.env,
      ...run.env,
      SCHEMATHESIS_HOOKS: 'hooks',
      PYTHONPATH: run.hooksDir,
      NO_COLOR: '1',
    },
    cwd: run.cwd,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve(code));
  });
}
