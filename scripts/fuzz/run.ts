import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { bundleWorkflowCode, DefaultLogger, Runtime } from '@temporalio/worker';
import pino from 'pino';
import { newKeyAndCsr } from '../../agent/credentials';
import { projectRoot } from '../../infra/paths';
import { devAuthorization, type InProcessStack, startInProcessStack } from '../in-process-stack';
import { startEphemeralServers } from '../servers/ephemeral';
import { workflowBundling } from '../../workers/worker';
import { Oracle, type Tally } from './oracle';
import { ensureSchemathesis, runSchemathesis } from './schemathesis';

const TENANT = 'fuzz-tenant';
/** A full run must try at least this many cases. */
const FULL_RUN_MIN_CASES = 3000;
const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** How a target's requests authenticate. */
type Caller = 'all scopes' | 'no scopes' | 'connector token' | 'client certificate';

interface TargetSettings {
  readonly path: string;
  readonly caller: Caller;
  /** Cases per operation, as a multiple of `--max-examples` (the Connector has three operations). */
  readonly factor: number;
  /** Schemathesis operation filters. */
  readonly filter?: readonly string[];
}

/**
 * The APIs the run fuzzes, in order: each GraphQL endpoint and who calls it. The certificate's
 * own revocation comes last, since every call after it is refused.
 */
const TARGETS = {
  director: { path: '/director/graphql', caller: 'all scopes', factor: 1 },
  'director-no-scopes': { path: '/director/graphql', caller: 'no scopes', factor: 1 },
  connector: { path: '/connector/graphql', caller: 'connector token', factor: 8 },
  'connector-mtls': {
    path: '/connector/graphql',
    caller: 'client certificate',
    factor: 8,
    filter: ['--exclude-name', 'Mutation.revokeCertificate'],
  },
  'connector-mtls-revoke': {
    path: '/connector/graphql',
    caller: 'client certificate',
    factor: 1,
    filter: ['--include-name', 'Mutation.revokeCertificate'],
  },
  provisioner: { path: '/provisioner/graphql', caller: 'all scopes', factor: 1 },
} as const satisfies Record<string, TargetSettings>;
type Target = keyof typeof TARGETS;

/**
 * `npm run test:fuzz`: Schemathesis generates GraphQL operations from each API's schema
 * (introspection) against a real stack (Temporal dev server, FerretDB, gateway and worker);
 * the oracle fails the run on any 5xx, any InternalError, or a refused request that changed
 * the database.
 */
async function main(): Promise<number> {
  const program = new Command('test:fuzz')
    .description('Property-based GraphQL fuzzing of the Director, Connector and Provisioner APIs')
    .argument('[targets...]', `APIs to fuzz: ${Object.keys(TARGETS).join(', ')} (default: all)`)
    .option('-n, --max-examples <n>', 'cases per operation and phase', (v) => Number(v), 25)
    .option('--seed <n>', 'random seed (printed; reuse it to replay a run)', (v) => Number(v))
    .option(
      '--min-cases <n>',
      `fail unless at least this many cases were tried (default ${FULL_RUN_MIN_CASES} for a run of every API)`,
      (v) => Number(v),
    )
    .showHelpAfterError()
    .parse();
  const opts = program.opts<{ maxExamples: number; seed?: number; minCases?: number }>();
  const targets = (program.args.length > 0 ? program.args : Object.keys(TARGETS)) as Target[];
  const minCases = opts.minCases ?? (program.args.length > 0 ? 0 : FULL_RUN_MIN_CASES);
  const unknown = targets.filter((t) => !(t in TARGETS));
  if (unknown.length > 0) program.error(`unknown target: ${unknown.join(', ')}`);
  const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 31);

  const st = ensureSchemathesis(console.log);
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'compass-fuzz-'));
  const logFile = path.join(dir, 'gateway.log');
  const servers = await startEphemeralServers({ dir });
  let stack: InProcessStack | undefined;
  let keepLogs = false;
  try {
    const { code } = await bundleWorkflowCode({ ...workflowBundling, logger: silent });
    stack = await startInProcessStack({
      temporalAddress: servers.temporalAddress,
      namespace: servers.namespace,
      mongoUri: `${servers.mongoBase}/fuzz`,
      workflowBundle: { code },
      // Tokens outlive the run: their expiry, a timer's write, would look like a refused request's.
      appTokenTtlSeconds: 86_400,
      csrTokenTtlSeconds: 86_400,
      // Unknown errors are logged in full here: the place to look when the oracle reports one.
      log: pino({ level: 'error' }, pino.destination({ dest: logFile, sync: true })),
    });
    const s = stack;
    const authorization = await devAuthorization();
    const noScopes = await devAuthorization([]);
    const director = directorClient(s.url, authorization);
    const appId = (
      await director<{ registerApplication: { id: string } }>(
        'mutation { registerApplication(in: { name: "fuzz-pairing" }) { id } }',
      )
    ).registerApplication.id;
    const pairing = new ConnectorTokens(s.url, director, appId);

    const oracle = new Oracle(s.mongo.db, (target, operation) =>
      target === 'connector' ? pairing.headersFor(operation) : Promise.resolve({}),
    );
    const served = await oracle.listen();
    let failedRuns = 0;
    try {
      let certificate: string[] | undefined;
      for (const target of targets) {
        const settings: TargetSettings = TARGETS[target];
        const overMtls = settings.caller === 'client certificate';
        const url = `${overMtls ? s.mtlsUrl : s.url}${settings.path}`;
        console.log(`\n== ${target}: ${url} as ${settings.caller} (seed ${seed}) ==`);
        const headers: Record<string, string> =
          settings.caller === 'all scopes' || settings.caller === 'no scopes'
            ? { Authorization: settings.caller === 'all scopes' ? authorization : noScopes, Tenant: TENANT }
            : {};
        if (overMtls) certificate ??= await pairing.clientCertificate(dir);
        const exit = await runSchemathesis({
          st,
          url,
          headers,
          hooksDir: path.join(projectRoot(), 'scripts', 'fuzz'),
          cwd: dir,
          env: { COMPASS_FUZZ_ORACLE: served.url, COMPASS_FUZZ_TARGET: target },
          maxExamples: opts.maxExamples * settings.factor,
          seed,
          extraArgs: [...(settings.filter ?? []), ...(overMtls ? certificate! : [])],
        });
        if (exit !== 0) failedRuns++;
      }
    } finally {
      await served.close();
    }

    console.log(`\n${formatTally(oracle.tallies)}`);
    for (const v of oracle.violations) {
      console.log(
        `\n${v.rule} — ${v.target} ${v.operation} (HTTP ${v.status}): ${v.detail}\n${v.query ?? ''}`,
      );
    }
    const total = [...oracle.tallies.values()].reduce((n, t) => n + t.cases, 0);
    console.log(`\ncases tried: ${total}; violations: ${oracle.violations.length}; seed ${seed}`);
    if (oracle.violations.length > 0) {
      keepLogs = true;
      console.log(`gateway errors are logged in ${logFile}`);
    }
    if (total < minCases) {
      console.log(`fewer cases than the minimum of ${minCases}`);
      return 1;
    }
    return oracle.violations.length > 0 || failedRuns > 0 ? 1 : 0;
  } finally {
    await stack?.close();
    await servers.stop();
    if (!keepLogs) rmSync(dir, { recursive: true, force: true });
  }
}

type Director = <T>(query: string, variables?: Record<string, unknown>) => Promise<T>;

function directorClient(url: string, authorization: string): Director {
  return async <T>(query: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(`${url}/director/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization, tenant: TENANT },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: unknown[] };
    if (body.errors || !body.data) throw new Error(`Director call failed: ${JSON.stringify(body)}`);
    return body.data;
  };
}

/**
 * Credentials for Connector cases, fresh for each: a new one-time token for `configuration`, a
 * CSR token (a one-time token redeemed) for `signCertificateSigningRequest`, and every fourth
 * case a token already spent, so refusals are fuzzed as well.
 */
class ConnectorTokens {
  private n = 0;
  private spent: string | undefined;

  constructor(
    private readonly url: string,
    private readonly director: Director,
    private readonly appId: string,
  ) {}

  /**
   * A client certificate of the application, paired as the Runtime Agent pairs (key and CSR made
   * here), written under `dir`: Schemathesis's arguments to call the mTLS listener with it.
   */
  async clientCertificate(dir: string): Promise<string[]> {
    const res = await fetch(`${this.url}/connector/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'connector-token': await this.oneTimeToken() },
      body: JSON.stringify({
        query: '{ configuration { token { token } certificateSigningRequestInfo { subject } } }',
      }),
    });
    const config = (await res.json()) as {
      data: {
        configuration: { token: { token: string }; certificateSigningRequestInfo: { subject: string } };
      };
    };
    const { keyPem, csr } = newKeyAndCsr(config.data.configuration.certificateSigningRequestInfo.subject);
    const signed = await fetch(`${this.url}/connector/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'connector-token': config.data.configuration.token.token,
      },
      body: JSON.stringify({
        query:
          'mutation($csr: String!) { signCertificateSigningRequest(csr: $csr) { certificateChain caCertificate } }',
        variables: { csr },
      }),
    });
    const body = (await signed.json()) as {
      data?: { signCertificateSigningRequest: { certificateChain: string; caCertificate: string } };
    };
    if (!body.data) throw new Error(`signing the fuzzer's certificate failed: ${JSON.stringify(body)}`);
    const pem = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');
    const files = {
      cert: path.join(dir, 'client.crt'),
      key: path.join(dir, 'client.key'),
      ca: path.join(dir, 'ca.crt'),
    };
    writeFileSync(files.cert, pem(body.data.signCertificateSigningRequest.certificateChain));
    writeFileSync(files.key, keyPem, { mode: 0o600 });
    writeFileSync(files.ca, pem(body.data.signCertificateSigningRequest.caCertificate));
    return ['--request-cert', files.cert, '--request-cert-key', files.key, '--tls-verify', files.ca];
  }

  async headersFor(operation: string): Promise<Record<string, string>> {
    if (this.n++ % 4 === 3 && this.spent) return { 'Connector-Token': this.spent };
    const token = await this.oneTimeToken();
    if (!operation.includes('signCertificateSigningRequest')) {
      this.spent = token;
      return { 'Connector-Token': token };
    }
    const csrToken = await this.redeem(token);
    this.spent = token;
    return { 'Connector-Token': csrToken };
  }

  private async oneTimeToken(): Promise<string> {
    const data = await this.director<{ requestOneTimeTokenForApplication: { token: string } }>(
      'mutation($id: ID!) { requestOneTimeTokenForApplication(id: $id) { token } }',
      { id: this.appId },
    );
    return data.requestOneTimeTokenForApplication.token;
  }

  private async redeem(token: string): Promise<string> {
    const res = await fetch(`${this.url}/connector/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'connector-token': token },
      body: JSON.stringify({ query: '{ configuration { token { token } } }' }),
    });
    const body = (await res.json()) as { data?: { configuration: { token: { token: string } } } };
    if (!body.data) throw new Error(`configuration failed: ${JSON.stringify(body)}`);
    return body.data.configuration.token.token;
  }
}

function formatTally(tallies: ReadonlyMap<string, Tally>): string {
  const rows = [['API', 'cases', 'refused', 'HTTP statuses', 'error codes']];
  for (const [target, t] of tallies) {
    const fmt = (r: Record<string, number>) =>
      Object.entries(r)
        .sort()
        .map(([k, v]) => `${k}:${v}`)
        .join(' ');
    rows.push([target, String(t.cases), String(t.refused), fmt(t.statuses), fmt(t.errorCodes)]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const lines = rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  '));
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return lines.join('\n');
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  },
);
