import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { bearer, launch, launchEnv, untilUp } from './launch';

/**
 * Pairs an application the way a non-JavaScript client would: the client side is only the
 * `openssl` and `curl` command-line tools against the built stack (`node dist/scripts/start.js`).
 * The test process starts the stack, obtains the Director user token from the stack's local
 * issuer, builds JSON bodies and reads JSON answers; every HTTP call is curl, every crypto step
 * is openssl.
 */

const execFileAsync = promisify(execFile);

interface GqlBody<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

/** The client's side: its working directory, where openssl and curl read and write files. */
class CliClient {
  constructor(private readonly dir: string) {}

  file(name: string): string {
    return path.join(this.dir, name);
  }

  async openssl(...args: string[]): Promise<string> {
    const { stdout } = await execFileAsync('openssl', args, { cwd: this.dir, timeout: 60_000 });
    return stdout;
  }

  /**
   * POSTs a GraphQL operation with curl; `tls` adds curl's client-certificate options.
   * Resolves with the HTTP status and the parsed body; rejects when curl itself fails
   * (e.g. the TLS handshake is refused).
   */
  async curl<T>(
    url: string,
    query: string,
    variables: Record<string, unknown> = {},
    headers: Record<string, string> = {},
    tls?: { cert: string; key: string; ca: string },
  ): Promise<{ status: number; body: GqlBody<T> }> {
    const args = ['-q', '-sS', '--noproxy', '*', '--max-time', '60', '-X', 'POST'];
    args.push('-H', 'content-type: application/json');
    for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}: ${value}`);
    if (tls) args.push('--cert', tls.cert, '--key', tls.key, '--cacert', tls.ca);
    args.push('--data-binary', JSON.stringify({ query, variables }));
    args.push('-w', '\n%{http_code}', url);
    const { stdout } = await execFileAsync('curl', args, { cwd: this.dir, timeout: 90_000 });
    const cut = stdout.lastIndexOf('\n');
    const status = Number(stdout.slice(cut + 1));
    const text = stdout.slice(0, cut);
    try {
      return { status, body: JSON.parse(text) as GqlBody<T> };
    } catch {
      throw new Error(`curl ${url} answered ${status} with a body that is not JSON: ${text}`);
    }
  }

  /** A new RSA-2048 key and CSR (PEM files) for the subject `O=..,OU=..,CN=..`. */
  async newKeyAndCsr(subject: string, name: string): Promise<{ key: string; csr: string }> {
    const key = `${name}.key`;
    const csr = `${name}.csr`;
    await this.openssl(
      'req',
      '-new',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      csr,
      '-subj',
      opensslSubject(subject),
    );
    return { key, csr };
  }

  /** The file's content as one line of base64, as the Connector takes the CSR. */
  async base64(file: string): Promise<string> {
    return (await this.openssl('base64', '-A', '-in', file)).trim();
  }

  /** Writes the base64 text to `<out>.b64` and decodes it with openssl into `out`. */
  async decodeBase64(text: string, out: string): Promise<string> {
    writeFileSync(this.file(`${out}.b64`), text);
    await this.openssl('base64', '-d', '-A', '-in', `${out}.b64`, '-out', out);
    return out;
  }
}

/** `O=Org,OU=OrgUnit,...,CN=x` → openssl's `/O=Org/OU=OrgUnit/.../CN=x`. */
function opensslSubject(subject: string): string {
  return subject
    .split(',')
    .map((part) => `/${part.replace(/[/\\]/g, (c) => `\\${c}`)}`)
    .join('');
}

async function eventually<T>(probe: () => Promise<T | undefined>, what: string, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const SIGN = `mutation($csr: String!) { signCertificateSigningRequest(csr: $csr) { certificateChain caCertificate clientCertificate } }`;
interface Signed {
  signCertificateSigningRequest: {
    certificateChain: string;
    caCertificate: string;
    clientCertificate: string;
  };
}

describe('pairing with only openssl and curl on the client side', () => {
  let dataDir: string;
  let clientDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'compass-e2e-'));
    clientDir = mkdtempSync(path.join(os.tmpdir(), 'compass-e2e-client-'));
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(clientDir, { recursive: true, force: true });
  });

  it('registers, pairs, calls the Director over mTLS, renews and revokes', async () => {
    const env = await launchEnv(dataDir);
    const url = `http://127.0.0.1:${env.PORT}`;
    const mtlsUrl = `https://127.0.0.1:${env.MTLS_PORT}`;
    const client = new CliClient(clientDir);
    const tenant = 'e2e-openssl';

    const stack = launch(env);
    try {
      await untilUp(stack);
      const user = { tenant, authorization: await bearer(dataDir) };

      // the user registers the application and asks for a one-time token
      const registered = await client.curl<{ registerApplication: { id: string } }>(
        `${url}/director/graphql`,
        `mutation { registerApplication(in: { name: "openssl-client" }) { id } }`,
        {},
        user,
      );
      expect(registered.body.errors).toBeUndefined();
      const appId = registered.body.data!.registerApplication.id;
      const ott = await client.curl<{ requestOneTimeTokenForApplication: { token: string } }>(
        `${url}/director/graphql`,
        `mutation($id: ID!) { requestOneTimeTokenForApplication(id: $id) { token } }`,
        { id: appId },
        user,
      );
      expect(ott.body.errors).toBeUndefined();
      const oneTimeToken = ott.body.data!.requestOneTimeTokenForApplication.token;

      // the client redeems it for its subject and a CSR token
      const config = await client.curl<{
        configuration: { token: { token: string }; certificateSigningRequestInfo: { subject: string } };
      }>(
        `${url}/connector/graphql`,
        `{ configuration { token { token } certificateSigningRequestInfo { subject keyAlgorithm } } }`,
        {},
        { 'Connector-Token': oneTimeToken },
      );
      expect(config.body.errors).toBeUndefined();
      const subject = config.body.data!.configuration.certificateSigningRequestInfo.subject;
      const clientId = /(?:^|,)CN=([^,]+)/.exec(subject)?.[1];
      expect(clientId).toBeTruthy();

      // openssl: key + CSR; curl: signing; openssl: decode and verify the certificate
      const first = await client.newKeyAndCsr(subject, 'client');
      const signed = await client.curl<Signed>(
        `${url}/connector/graphql`,
        SIGN,
        { csr: await client.base64(first.csr) },
        { 'Connector-Token': config.body.data!.configuration.token.token },
      );
      expect(signed.body.errors).toBeUndefined();
      const result = signed.body.data!.signCertificateSigningRequest;
      const cert = await client.decodeBase64(result.clientCertificate, 'client.crt');
      const ca = await client.decodeBase64(result.caCertificate, 'ca.crt');
      expect(await client.openssl('verify', '-CAfile', ca, cert)).toContain('client.crt: OK');
      expect(await client.openssl('x509', '-in', cert, '-noout', '-subject')).toContain(`CN = ${clientId}`);

      // the Director over mTLS with the certificate: the caller is the application
      const viewer = await client.curl(
        `${mtlsUrl}/director/graphql`,
        `{ viewer { id type } }`,
        {},
        {},
        { cert, key: first.key, ca },
      );
      expect(viewer.status).toBe(200);
      expect(viewer.body).toEqual({ data: { viewer: { id: appId, type: 'APPLICATION' } } });

      // renewal: the configuration over mTLS names the same subject; a new key, signed over mTLS
      const renewInfo = await client.curl<{
        configuration: {
          token: unknown;
          certificateSigningRequestInfo: { subject: string; renewalRequired: boolean };
        };
      }>(
        `${mtlsUrl}/connector/graphql`,
        `{ configuration { token { token } certificateSigningRequestInfo { subject renewalRequired } } }`,
        {},
        {},
        { cert, key: first.key, ca },
      );
      expect(renewInfo.body.data?.configuration).toEqual({
        token: null,
        certificateSigningRequestInfo: { subject, renewalRequired: false },
      });
      const second = await client.newKeyAndCsr(subject, 'renewed');
      const secondCsr = await client.base64(second.csr);
      const renewal = await eventually(async () => {
        const r = await client.curl<Signed>(
          `${mtlsUrl}/connector/graphql`,
          SIGN,
          { csr: secondCsr },
          {},
          { cert, key: first.key, ca },
        );
        return r.body.data?.signCertificateSigningRequest ? r : undefined;
      }, 'the certificate workflow to accept a renewal');
      const renewedCert = await client.decodeBase64(
        renewal.body.data!.signCertificateSigningRequest.clientCertificate,
        'renewed.crt',
      );
      expect(await client.openssl('verify', '-CAfile', ca, renewedCert)).toContain('renewed.crt: OK');
      const fresh = { cert: renewedCert, key: second.key, ca };
      const viewerAgain = await client.curl(
        `${mtlsUrl}/director/graphql`,
        `{ viewer { id type } }`,
        {},
        {},
        fresh,
      );
      expect(viewerAgain.body).toEqual({ data: { viewer: { id: appId, type: 'APPLICATION' } } });

      // revocation with the renewed certificate; afterwards it is refused
      const revoked = await client.curl(
        `${mtlsUrl}/connector/graphql`,
        `mutation { revokeCertificate }`,
        {},
        {},
        fresh,
      );
      expect(revoked.body).toEqual({ data: { revokeCertificate: true } });
      const refused = await client
        .curl(`${mtlsUrl}/director/graphql`, `{ viewer { id type } }`, {}, {}, fresh)
        .then(
          (r) => r,
          () => 'connection refused' as const,
        );
      if (refused !== 'connection refused') {
        expect(refused.status).toBe(401);
        expect(refused.body.errors).toEqual([
          expect.objectContaining({ extensions: { error: 'Unauthorized', error_code: 26 } }),
        ]);
        expect(refused.body.data ?? undefined).toBeUndefined();
      }

      // the first mTLS call completed the pairing
      await eventually(async () => {
        const app = await client.curl<{ application: { status: { condition: string } } }>(
          `${url}/director/graphql`,
          `query($id: ID!) { application(id: $id) { status { condition } } }`,
          { id: appId },
          user,
        );
        return app.body.data?.application.status.condition === 'CONNECTED' ? true : undefined;
      }, 'the application to become CONNECTED');
    } finally {
      stack.child.kill('SIGINT');
      await stack.exited;
    }
  }, 300_000);
});
