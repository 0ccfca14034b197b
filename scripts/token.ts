import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { issueDevToken, loadOrCreateDevIssuer } from '../api/auth/dev-issuer';
import { allScopes } from '../api/auth/scopes';
import { parseTenantId } from '../domain/tenant';
import { dataDir } from '../infra/trust';

/** Where the command writes: the token goes to `out` alone, so `$(npm run -s token ...)` captures it. */
export interface TokenCommandIo {
  readonly env: NodeJS.ProcessEnv;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const TTL = /^(\d+)([smhd]?)$/;
const SECONDS_PER_UNIT: Readonly<Record<string, number>> = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 };
const MAX_TTL_SEC = 365 * 86_400;

/** Parses a lifetime such as `90`, `45m`, `8h` or `7d` into seconds (1 second to 365 days). */
export function parseTtl(text: string): number {
  const match = TTL.exec(text.trim());
  const seconds = match ? Number(match[1]) * (SECONDS_PER_UNIT[match[2] ?? ''] ?? 1) : NaN;
  if (!(seconds >= 1 && seconds <= MAX_TTL_SEC)) {
    throw new InvalidArgumentError('use a number with s, m, h or d, between 1s and 365d (e.g. 8h)');
  }
  return seconds;
}

function parseTenant(text: string): string {
  try {
    return parseTenantId(text);
  } catch {
    throw new InvalidArgumentError('use 1-128 letters, digits, dots, dashes or underscores');
  }
}

function parseScopes(text: string): string[] {
  const known = new Set(allScopes());
  const scopes = [...new Set(text.split(',').map((s) => s.trim()))].filter(Boolean);
  const unknown = scopes.filter((s) => !known.has(s));
  if (unknown.length > 0) {
    throw new InvalidArgumentError(
      `unknown scope ${unknown.join(', ')}; known scopes: ${[...known].join(', ')}`,
    );
  }
  return scopes;
}

/**
 * `npm run -s token -- --tenant <tenant> [--scopes a,b] [--consumer-id x] [--ttl 8h]`: prints
 * a bearer token signed by the local development issuer (its secret is created on first use
 * under the data directory). Returns the process exit code: 0, or non-zero with the reason on
 * `err` for bad arguments.
 */
export async function main(argv: readonly string[], io: TokenCommandIo): Promise<number> {
  const program = new Command('npm run -s token --')
    .description('Prints a bearer token for the local development issuer.')
    .requiredOption('--tenant <tenant>', 'tenant the token is issued for', parseTenant)
    .option('--scopes <scopes>', 'comma-separated scopes (default: every scope in scopes.json)', parseScopes)
    .option('--consumer-id <id>', 'the user the token names', 'local-developer')
    .addOption(
      new Option('--ttl <duration>', 'lifetime, e.g. 30m, 8h, 7d')
        .argParser(parseTtl)
        .default(8 * 3600, '8h'),
    )
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError('(run with --help for usage)');
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    throw err;
  }
  const opts = program.opts<{ tenant: string; scopes?: string[]; consumerId: string; ttl: number }>();
  if (opts.consumerId.trim() === '') return fail(io, 'error: --consumer-id must not be empty');
  try {
    // An empty DATA_DIR means unset here, as it always did for this command.
    const issuer = await loadOrCreateDevIssuer(dataDir({ DATA_DIR: io.env.DATA_DIR || undefined }));
    const token = await issueDevToken(issuer, {
      tenant: opts.tenant,
      scopes: opts.scopes ?? allScopes(),
      consumerId: opts.consumerId.trim(),
      ttlSec: opts.ttl,
    });
    io.out(`${token}\n`);
    return 0;
  } catch (err) {
    return fail(io, `error: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function fail(io: TokenCommandIo, message: string): number {
  io.err(`${message}\n`);
  return 1;
}

if (require.main === module) {
  void main(process.argv.slice(2), {
    env: process.env,
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
