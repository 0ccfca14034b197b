import { generateKeyPair, type KeyObject, randomUUID, sign } from 'node:crypto';
import { promisify } from 'node:util';
import * as forge from 'node-forge';
import { devAuthorization } from '../scripts/in-process-stack';
import { type BenchContext, startBenchStack } from './context';
import { startNoopFloor } from './floor';
import { type Comparison, combine, compare, measure, type Sample } from './measure';

const REGISTER = `mutation R($in: ApplicationRegisterInput!) { registerApplication(in: $in) { id } }`;
const REQUEST_TOKEN = `mutation T($id: ID!) { requestOneTimeTokenForApplication(id: $id) { token } }`;
const CONFIGURATION = `{ configuration { token { token } certificateSigningRequestInfo { subject } } }`;
const SIGN = `mutation S($csr: String!) { signCertificateSigningRequest(csr: $csr) { clientCertificate } }`;

/** Pairings per round: each needs an RSA key generated beforehand, so fewer than the other benchmarks. */
const MAX_PAIRINGS = 64;
const ROUNDS = 2;

interface KeyPair {
  readonly publicPem: string;
  readonly privateKey: KeyObject;
}

/**
 * A full pairing through the gateway and the workflows, as a client does it:
 * requestOneTimeTokenForApplication (Director, user token; Update-with-Start of the pairing
 * workflow) → configuration (Connector, one-time token; Update) → CSR for the returned subject
 * → signCertificateSigningRequest (Connector, CSR token; Update + RSA signing by the CA).
 * Not timed: registering the applications (before each round) and generating the client's RSA
 * keys (all before the first round). Timed on the client side: building and signing the CSR
 * for the subject the Connector returned (one native RSA-2048 signature, its cost is in the
 * notes). Floor: the same number of no-op workflows, started and awaited on the same server at
 * the same concurrency, in alternating rounds.
 */
export async function connectorPairingBenchmark(ctx: BenchContext): Promise<Comparison> {
  const count = Math.min(ctx.count, MAX_PAIRINGS);
  const warmCount = Math.min(16, count);
  const opts = { count, concurrency: ctx.concurrency };
  const warm = { count: warmCount, concurrency: ctx.concurrency };
  const keys = await generateKeys(warmCount + ROUNDS * count);

  const stack = await startBenchStack(ctx);
  const noop = await startNoopFloor(ctx, stack.client);

  const tenant = `bench-${randomUUID()}`;
  const authorization = await devAuthorization();
  const post = async <T>(api: string, query: string, variables: object, headers: Record<string, string>) => {
    const res = await fetch(`${stack.url}/${api}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: unknown[] };
    if (body.errors || !body.data) throw new Error(`${api} failed: ${JSON.stringify(body.errors)}`);
    return body.data;
  };
  const user = { tenant, authorization };

  /** Registers `n` applications (setup, not timed); returns their IDs. */
  const registerApps = async (n: number, concurrency = ctx.concurrency): Promise<string[]> => {
    const ids: string[] = [];
    await measure(
      'setup',
      async (i) => {
        const data = await post<{ registerApplication: { id: string } }>(
          'director',
          REGISTER,
          { in: { name: `pair-${randomUUID().slice(0, 8)}-${i}` } },
          user,
        );
        ids[i] = data.registerApplication.id;
      },
      { count: n, concurrency },
    );
    return ids;
  };

  let nextKey = 0;
  /** The timed part: one pairing of the application `appId` with the next pre-generated key. */
  const pairing = (appIds: readonly string[]) => {
    const keyBase = nextKey;
    nextKey += appIds.length;
    return async (i: number) => {
      const ott = await post<{ requestOneTimeTokenForApplication: { token: string } }>(
        'director',
        REQUEST_TOKEN,
        { id: appIds[i] },
        user,
      );
      const config = await post<{
        configuration: { token: { token: string }; certificateSigningRequestInfo: { subject: string } };
      }>('connector', CONFIGURATION, {}, { 'connector-token': ott.requestOneTimeTokenForApplication.token });
      const csr = csrBase64(keys[keyBase + i]!, config.configuration.certificateSigningRequestInfo.subject);
      await post('connector', SIGN, { csr }, { 'connector-token': config.configuration.token.token });
    };
  };
  const floor = noop.op;

  try {
    // the tenant's first application alone: concurrent first registrations of a new tenant race
    // on creating its defaults (seen as NotUnique / InternalError)
    await registerApps(1, 1);
    await measure('warm-up', pairing(await registerApps(warmCount)), warm);
    await measure('warm-up', floor, warm);
    const projectRounds: Sample[] = [];
    const floorRounds: Sample[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const appIds = await registerApps(count);
      floorRounds.push(await measure('no-op workflow, start + result (floor)', floor, opts));
      projectRounds.push(await measure('pairing: token → configuration → signed CSR', pairing(appIds), opts));
    }
    const csrCost = await measure(
      'csr',
      async (i) => {
        csrBase64(keys[i % keys.length]!, 'O=Org,OU=OrgUnit,L=Locality,ST=State,C=PL,CN=x');
      },
      { count: 50, concurrency: 1 },
    );
    return compare(
      'connector-pairing',
      combine(projectRounds),
      combine(floorRounds),
      `concurrency ${ctx.concurrency}; one pairing = 3 Temporal round trips (Update-with-Start ` +
        `issueToken, Updates redeemToken and signCsr) + the CA's RSA-2048 signature, the floor ` +
        `= 1 round trip (start + result) per op, so 0.33× is parity per round trip; client-side ` +
        `CSR build in the timed part: p50 ${csrCost.p50Ms.toFixed(2)} ms; keys generated untimed`,
    );
  } finally {
    await noop.stop();
    await stack.close();
  }
}

const generateKeyPairAsync = promisify(generateKeyPair);

/** RSA-2048 key pairs generated on libuv's thread pool, before anything is timed. */
async function generateKeys(n: number): Promise<KeyPair[]> {
  const out: KeyPair[] = [];
  const batch = 8;
  for (let i = 0; i < n; i += batch) {
    const made = await Promise.all(
      Array.from({ length: Math.min(batch, n - i) }, () =>
        generateKeyPairAsync('rsa', { modulusLength: 2048 }),
      ),
    );
    for (const { publicKey, privateKey } of made) {
      out.push({ publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), privateKey });
    }
  }
  return out;
}

/**
 * The CSR (base64 of PEM) for `subject` (`O=..,OU=..,CN=..`): node-forge builds the
 * CertificationRequestInfo, Node's OpenSSL signs it (SHA-256 with RSA), as a native client would.
 */
function csrBase64(key: KeyPair, subject: string): string {
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.publicKeyFromPem(key.publicPem);
  csr.setSubject(
    subject.split(',').map((part) => {
      const eq = part.indexOf('=');
      return { shortName: part.slice(0, eq), value: part.slice(eq + 1) };
    }),
  );
  const info = (forge.pki as unknown as ForgeCsrInfo).getCertificationRequestInfo(csr);
  const signature = sign('sha256', Buffer.from(forge.asn1.toDer(info).getBytes(), 'binary'), key.privateKey);
  csr.certificationRequestInfo = info;
  csr.signatureOid = forge.pki.oids.sha256WithRSAEncryption!;
  csr.signature = signature.toString('binary');
  return Buffer.from(forge.pki.certificationRequestToPem(csr)).toString('base64');
}

/** node-forge's `getCertificationRequestInfo`, missing from its type declarations. */
interface ForgeCsrInfo {
  getCertificationRequestInfo(csr: forge.pki.CertificateSigningRequest): forge.asn1.Asn1;
}
