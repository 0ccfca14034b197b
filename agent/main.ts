#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { type AgentOptions, runAgent } from './agent';
import { Connection, ConnectionRefusedError, type OneTimeToken, UsageError, parseToken } from './connection';
import { AGENT_ENVIRONMENT as ENV, DEFAULT_STATUS_PORT } from './environment';
import { StateError, ensureStateDir } from './files';
import { parseCheck } from './heartbeat';
import { agentLogger } from './log';
import { loadStatus } from './state';

/**
 * The Runtime Agent's command line: `connect` pairs with a one-time token, `run` keeps the
 * connection, synchronises applications and heartbeats, `status` prints the connection state.
 * Options come from flags, then the environment (the Provisioner's keys CONNECTOR_URL, TOKEN,
 * RUNTIME_ID, TENANT, plus COMPASS_AGENT_*; see environment.ts), then a JSON config file. The
 * config file and the token file are read again whenever the agent needs a one-time token.
 * Exit codes: 0 done, 1 failed (message on stderr), 2 usage error.
 */

const MIN_PERIOD_MS = 10_000;

interface RawOptions {
  config?: string;
  stateDir?: string;
  connectorUrl?: string;
  token?: string;
  tokenFile?: string;
  runtimeId?: string;
  tenant?: string;
  syncPeriod?: number;
  heartbeatInterval?: number;
  pageSize?: number;
  statusPort?: number;
  timeout?: number;
  eventServiceUrl?: string;
  consoleUrl?: string;
  check?: string[];
  allowShortPeriods?: boolean;
  logLevel?: string;
}

const seconds = (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number of seconds');
  return n;
};
const integer = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a non-negative integer');
  return n;
};

function withCommonOptions(cmd: Command): Command {
  return cmd
    .option(
      '--config <file>',
      'JSON file with any of these options (camelCase keys); flags and environment win',
    )
    .option(
      '--state-dir <dir>',
      'where the key, certificates, status and applications are kept (env COMPASS_AGENT_STATE_DIR; default $DATA_DIR/agent or .data/agent)',
    )
    .option('--connector-url <url>', 'Connector GraphQL URL for a plain token (env CONNECTOR_URL)')
    .option(
      '--token <token>',
      'one-time token: plain, or the raw / rawEncoded form of requestOneTimeTokenForRuntime (env TOKEN)',
    )
    .option(
      '--token-file <file>',
      'file holding a one-time token, read again whenever one is needed, e.g. a mounted Secret (env COMPASS_AGENT_TOKEN_FILE)',
    )
    .option(
      '--runtime-id <id>',
      'the runtime this agent runs in (env RUNTIME_ID; default: asked of the Director)',
    )
    .option('--tenant <tenant>', "the runtime's tenant, for information (env TENANT)")
    .option('--timeout <seconds>', 'how long one call to the gateway may take (default 10)', seconds)
    .option('--log-level <level>', 'trace, debug, info, warn, error or silent (env LOG_LEVEL; default info)');
}

function program(): Command {
  const root = new Command('compass-agent')
    .description(
      'Compass Runtime Agent: pairs the runtime with Compass, keeps its certificate fresh, synchronises its applications and reports its health.',
    )
    .exitOverride()
    .showHelpAfterError();
  withCommonOptions(
    root
      .command('connect')
      .description('pair with a one-time token: fetch a certificate into the state directory and exit'),
  ).action(async (o: RawOptions) => connect(resolve(o)));
  withCommonOptions(
    root.command('run').description('run the agent (pairs first when it has a token and no certificate)'),
  )
    .option(
      '--sync-period <seconds>',
      'how often configuration and applications are fetched (default 20, minimum 10)',
      seconds,
    )
    .option(
      '--heartbeat-interval <seconds>',
      'how often health is reported, ±25 % (default 30, minimum 10)',
      seconds,
    )
    .option('--page-size <n>', 'applications per page read (default 20)', integer)
    .option(
      '--status-port <port>',
      'loopback port of /healthz and /status (env COMPASS_AGENT_STATUS_PORT; default 8090; 0 picks one)',
      integer,
    )
    .option(
      '--event-service-url <url>',
      'reported as the runtime_eventServiceUrl label (env COMPASS_AGENT_EVENT_SERVICE_URL)',
    )
    .option('--console-url <url>', 'reported as the runtime_consoleUrl label (env COMPASS_AGENT_CONSOLE_URL)')
    .addOption(
      new Option(
        '--check <name=target...>',
        'extra health check: name=cmd:<shell command> (exit 0 = UP) or name=<http URL on this host> (2xx = UP)',
      ),
    )
    .option('--allow-short-periods', 'allow sync and heartbeat periods below 10 s (tests)')
    .action(async (o: RawOptions) => run(resolve(o)));
  withCommonOptions(
    root.command('status').description('print the connection state kept in the state directory'),
  ).action(async (o: RawOptions) => status(resolve(o)));
  return root;
}

/** A config file's options; a file that cannot be read or parsed is a UsageError. */
function readConfigFile(file: string): RawOptions {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as RawOptions;
  } catch (err) {
    throw new UsageError(`cannot read the config file ${file}: ${(err as Error).message}`);
  }
}

/** The token file's text, undefined when it does not exist (yet) or is empty. */
function readTokenFile(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`cannot read the token file ${file}: ${(err as Error).message}`);
  }
}

interface Resolved extends AgentOptions {
  readonly logLevel: string;
  readonly tenant?: string;
}

function resolve(flags: RawOptions): Resolved {
  const env = process.env;
  const configFile = flags.config ?? env[ENV.config];
  const file: RawOptions = configFile ? readConfigFile(configFile) : {};
  const pick = <K extends keyof RawOptions>(key: K, envName?: string): RawOptions[K] =>
    flags[key] ?? ((envName && env[envName]) as RawOptions[K] | undefined) ?? file[key];
  const num = (key: keyof RawOptions, envName: string | undefined, dflt: number): number => {
    const v = Number(pick(key, envName) ?? dflt);
    if (!Number.isFinite(v) || v < 0) throw new UsageError(`--${key} must be a non-negative number`);
    return v;
  };
  const short = Boolean(pick('allowShortPeriods'));
  const period = (key: keyof RawOptions, dflt: number) => {
    const ms = num(key, undefined, dflt) * 1000;
    if (ms < MIN_PERIOD_MS && !short)
      throw new UsageError(
        `--${key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())} must be at least 10 seconds`,
      );
    return ms;
  };
  const stateDir = pick('stateDir', ENV.stateDir) ?? path.join(env[ENV.dataDir] ?? '.data', 'agent');
  const tokenFile = pick('tokenFile', ENV.tokenFile);
  // Every source of a token, the files read again each time: the first one not tried wins.
  const tokens = (): OneTimeToken[] => {
    let current = file;
    try {
      if (configFile) current = readConfigFile(configFile);
    } catch {
      // a config file being rewritten: keep what was read before
    }
    const connectorUrl = flags.connectorUrl ?? env[ENV.connectorUrl] ?? current.connectorUrl;
    const texts = [flags.token, env[ENV.token], current.token, tokenFile && readTokenFile(tokenFile)];
    return [...new Set(texts.filter((t): t is string => Boolean(t)))].map((t) => parseToken(t, connectorUrl));
  };
  tokens(); // a token that cannot be used is a usage error now, not in the loop
  const labels: Record<string, string> = {};
  const eventUrl = pick('eventServiceUrl', ENV.eventServiceUrl);
  const consoleUrl = pick('consoleUrl', ENV.consoleUrl);
  for (const [key, url] of [
    ['runtime_eventServiceUrl', eventUrl],
    ['runtime_consoleUrl', consoleUrl],
  ] as const) {
    if (url === undefined) continue;
    if (!URL.canParse(url)) throw new UsageError(`${key}: not a URL: ${url}`);
    labels[key] = url;
  }
  let checks;
  try {
    checks = (pick('check') ?? []).map(parseCheck);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const runtimeId = pick('runtimeId', ENV.runtimeId);
  const tenant = pick('tenant', ENV.tenant);
  return {
    stateDir,
    tokens: () => {
      try {
        return tokens();
      } catch {
        return []; // a token file rewritten with something unusable: nothing to redeem
      }
    },
    ...(runtimeId && { runtimeId }),
    ...(tenant && { tenant }),
    syncPeriodMs: period('syncPeriod', 20),
    heartbeatIntervalMs: period('heartbeatInterval', 30),
    pageSize: Math.max(1, Math.min(200, num('pageSize', undefined, 20))),
    statusPort: num('statusPort', ENV.statusPort, DEFAULT_STATUS_PORT),
    timeoutMs: num('timeout', undefined, 10) * 1000,
    labels,
    checks,
    logLevel: pick('logLevel', ENV.logLevel) ?? 'info',
  };
}

async function connect(opts: Resolved): Promise<void> {
  const token = opts.tokens()[0];
  if (!token) throw new UsageError('connect needs a one-time token (--token, TOKEN or --token-file)');
  const log = agentLogger(opts.logLevel, opts.runtimeId);
  await ensureStateDir(opts.stateDir);
  const connection = new Connection(opts.stateDir, opts.timeoutMs, log);
  await connection.load();
  try {
    await connection.bootstrap(token);
    console.log(
      `connected; certificate valid until ${connection.status.notAfter}; state in ${opts.stateDir}`,
    );
  } finally {
    await connection.close();
  }
}

async function run(opts: Resolved): Promise<void> {
  const log = agentLogger(opts.logLevel, opts.runtimeId);
  const abort = new AbortController();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => abort.abort());
  await runAgent(opts, log, abort.signal);
}

async function status(opts: Resolved): Promise<void> {
  await ensureStateDir(opts.stateDir);
  const s = await loadStatus(opts.stateDir);
  if (!s) {
    console.log(`not connected (no status in ${opts.stateDir})`);
    process.exitCode = 1;
    return;
  }
  console.log(JSON.stringify(s, null, 2));
}

async function main(): Promise<void> {
  try {
    await program().parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 2;
      return;
    }
    if (err instanceof UsageError) {
      console.error(`compass-agent: ${err.message}`);
      process.exitCode = 2;
      return;
    }
    const known =
      err instanceof StateError ||
      err instanceof ConnectionRefusedError ||
      (err as Error).name === 'UnreachableError';
    console.error(
      `compass-agent: ${known ? (err as Error).message : `unexpected failure: ${(err as Error).message}`}`,
    );
    process.exitCode = 1;
  }
}

void main();
