#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { type AgentOptions, runAgent } from './agent';
import {
  CredentialRequestRefusedError,
  CredentialRequests,
  InvalidCredentialInputError,
  type StoredCredentialRequest,
  bundlesOf,
  jsonArgument,
} from './bundle-credentials';
import { Connection, ConnectionRefusedError, type OneTimeToken, UsageError, parseToken } from './connection';
import { AGENT_ENVIRONMENT as ENV, DEFAULT_STATUS_PORT } from './environment';
import { StateError, ensureStateDir } from './files';
import { parseCheck } from './heartbeat';
import { agentLogger } from './log';
import { loadStatus } from './state';
import { readStoredApplications } from './sync';

/**
 * The Runtime Agent's command line: `connect` pairs with a one-time token, `run` keeps the
 * connection, synchronises applications and heartbeats, `status` prints the connection state,
 * `credentials request|list|delete` manage credential requests for synchronised bundles.
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
  requestCredentials?: boolean | string;
  credentialsContext?: string;
  credentialsInputParams?: string;
  logLevel?: string;
}

/** Options of the `credentials` subcommands. */
interface CredentialFlags {
  bundle?: string;
  auth?: string;
  context?: string;
  inputParams?: string;
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
      'Compass Runtime Agent: pairs the runtime with Compass, keeps its certificate fresh, synchronises its applications, requests credentials for their bundles and reports its health.',
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
    .option(
      '--request-credentials',
      'request credentials (requestBundleInstanceAuthCreation) for every synchronised bundle, follow them into <state>/credentials/ and ask for deletion when a bundle leaves the view (env COMPASS_AGENT_REQUEST_CREDENTIALS=true)',
    )
    .option(
      '--credentials-context <json>',
      'context of those requests, stringified JSON (env COMPASS_AGENT_CREDENTIALS_CONTEXT)',
    )
    .option(
      '--credentials-input-params <json>',
      "inputParams of those requests, checked by each bundle's instanceAuthRequestInputSchema (env COMPASS_AGENT_CREDENTIALS_INPUT_PARAMS)",
    )
    .option('--allow-short-periods', 'allow sync and heartbeat periods below 10 s (tests)')
    .action(async (o: RawOptions) => run(resolve(o)));
  withCommonOptions(
    root.command('status').description('print the connection state kept in the state directory'),
  ).action(async (o: RawOptions) => status(resolve(o)));
  const credentials = root
    .command('credentials')
    .description(
      'credential requests for synchronised bundles, kept in <state>/credentials/<authId>.json (mode 0600); a running agent follows them',
    );
  withCommonOptions(
    credentials
      .command('request')
      .description(
        'request credentials for a bundle of the synchronised view; prints the request (ID, status) as JSON',
      ),
  )
    .requiredOption('--bundle <id>', 'a bundle of the synchronised applications (<state>/applications/)')
    .option('--context <json>', 'context of the request, stringified JSON (e.g. {"ns":"prod"})')
    .option(
      '--input-params <json>',
      "input parameters, stringified JSON checked by the bundle's instanceAuthRequestInputSchema",
    )
    .action(async (o: RawOptions & CredentialFlags) => requestCredentials(resolve(o), o));
  withCommonOptions(
    credentials
      .command('list')
      .description('print the stored credential requests as JSON (without the credentials)'),
  ).action(async (o: RawOptions) => listCredentials(resolve(o)));
  withCommonOptions(
    credentials
      .command('delete')
      .description('ask the Director to delete credential requests and remove their files'),
  )
    .option('--auth <id>', 'the credential request (bundle instance auth) ID')
    .option('--bundle <id>', 'every stored request of this bundle')
    .action(async (o: RawOptions & CredentialFlags) => deleteCredentials(resolve(o), o));
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
  const requestCredentials = flag(pick('requestCredentials', ENV.requestCredentials), 'requestCredentials');
  let credentialsContext, credentialsInputParams;
  try {
    credentialsContext = jsonArgument(
      '--credentials-context',
      pick('credentialsContext', ENV.credentialsContext),
    );
    credentialsInputParams = jsonArgument(
      '--credentials-input-params',
      pick('credentialsInputParams', ENV.credentialsInputParams),
    );
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
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
    ...(requestCredentials && {
      requestCredentials: {
        ...(credentialsContext !== undefined && { context: credentialsContext }),
        ...(credentialsInputParams !== undefined && { inputParams: credentialsInputParams }),
      },
    }),
    logLevel: pick('logLevel', ENV.logLevel) ?? 'info',
  };
}

/** A boolean option from a flag (true), the environment or a config file ("true", "1", ...). */
function flag(value: boolean | string | undefined, name: string): boolean {
  if (value === undefined || typeof value === 'boolean') return value ?? false;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off', ''].includes(v)) return false;
  throw new UsageError(`${name} must be true or false, not ${value}`);
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

/** The stored certificate and the credential requests of the state directory, for one command. */
async function credentialStore(
  opts: Resolved,
): Promise<{ store: CredentialRequests; close(): Promise<void> }> {
  await ensureStateDir(opts.stateDir);
  const connection = new Connection(
    opts.stateDir,
    opts.timeoutMs,
    agentLogger(opts.logLevel, opts.runtimeId),
  );
  await connection.load();
  const directorUrl = connection.status.mtlsDirectorUrl;
  if (!connection.credentials || !directorUrl)
    throw new ConnectionRefusedError(
      `not connected: no certificate in ${opts.stateDir} (run \`compass-agent connect\` first)`,
    );
  return {
    store: new CredentialRequests(opts.stateDir, {
      client: () => connection.mtls,
      directorUrl: () => directorUrl,
    }),
    close: () => connection.close(),
  };
}

/** A stored request as the commands print it: the credentials themselves stay in the file. */
function shown(store: CredentialRequests, r: StoredCredentialRequest) {
  const { auth, ...rest } = r;
  return { ...rest, credentialsDelivered: auth !== undefined, file: path.join(store.dir, `${r.id}.json`) };
}

async function requestCredentials(opts: Resolved, flags: CredentialFlags): Promise<void> {
  const context = jsonArgument('--context', flags.context);
  const inputParams = jsonArgument('--input-params', flags.inputParams);
  const { store, close } = await credentialStore(opts);
  try {
    const view = bundlesOf(await readStoredApplications(path.join(opts.stateDir, 'applications')));
    const bundle = view.get(flags.bundle!);
    if (!bundle)
      throw new CredentialRequestRefusedError(
        `bundle ${flags.bundle} is not among the bundles this agent synchronised into ${path.join(opts.stateDir, 'applications')} (run \`compass-agent run\` to synchronise)`,
        undefined,
      );
    const request = await store.request(bundle, {
      ...(context !== undefined && { context }),
      ...(inputParams !== undefined && { inputParams }),
    });
    console.log(JSON.stringify(shown(store, request), null, 2));
  } finally {
    await close();
  }
}

async function listCredentials(opts: Resolved): Promise<void> {
  await ensureStateDir(opts.stateDir);
  const store = new CredentialRequests(opts.stateDir);
  console.log(
    JSON.stringify(
      (await store.list()).map((r) => shown(store, r)),
      null,
      2,
    ),
  );
}

const DELETED = {
  requested: 'deletion requested, file removed',
  gone: 'the Director no longer has it, file removed',
  'not allowed':
    "no longer this runtime's to delete (its application left the runtime's scenarios), file removed",
} as const;

async function deleteCredentials(opts: Resolved, flags: CredentialFlags): Promise<void> {
  if (!flags.auth === !flags.bundle)
    throw new UsageError('credentials delete needs one of --auth or --bundle');
  const { store, close } = await credentialStore(opts);
  try {
    const chosen = (await store.list()).filter((r) =>
      flags.auth ? r.id === flags.auth : r.bundleId === flags.bundle,
    );
    if (chosen.length === 0)
      throw new CredentialRequestRefusedError(
        `no stored credential request ${flags.auth ? `with ID ${flags.auth}` : `of bundle ${flags.bundle}`} in ${store.dir}`,
        undefined,
      );
    for (const r of chosen) console.log(`${r.id}: ${DELETED[await store.delete(r)]}`);
  } finally {
    await close();
  }
}

async function main(): Promise<void> {
  try {
    await program().parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 2;
      return;
    }
    if (err instanceof UsageError || err instanceof InvalidCredentialInputError) {
      console.error(`compass-agent: ${err.message}`);
      process.exitCode = 2;
      return;
    }
    const known =
      err instanceof StateError ||
      err instanceof ConnectionRefusedError ||
      err instanceof CredentialRequestRefusedError ||
      (err as Error).name === 'UnreachableError';
    console.error(
      `compass-agent: ${known ? (err as Error).message : `unexpected failure: ${(err as Error).message}`}`,
    );
    process.exitCode = 1;
  }
}

void main();
