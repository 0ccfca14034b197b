// Fails when api/generated/ is not what graphql-codegen produces from api/schema today.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const committed = 'api/generated/graphql.ts';
const dir = mkdtempSync(path.join(os.tmpdir(), 'codegen-'));
const fresh = path.join(dir, 'graphql.ts');
try {
  execFileSync('npx', ['graphql-codegen', '--config', 'codegen.ts', '--silent'], {
    env: { ...process.env, CODEGEN_OUT: fresh },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const prettier = ['prettier', '--stdin-filepath', committed];
  const formatted = execFileSync('npx', prettier, { input: readFileSync(fresh) }).toString();
  if (formatted !== readFileSync(committed, 'utf8')) {
    console.error(`${committed} is out of date with api/schema: run npm run codegen`);
    process.exit(1);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
