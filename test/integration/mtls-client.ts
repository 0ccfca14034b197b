import { X509Certificate } from 'node:crypto';
import https from 'node:https';
import { fixAttributes, fixCsrBase64, fixCsrPem, fixRsaKeyPair, type FixKeyPair } from '../unit/pki/fixtures';
import type { GraphQLResponse, Stack } from './harness';

/** A paired client: its certificate and key, and what it acts as. */
export interface FixPairedClient {
  readonly tenant: string;
  readonly appId: string;
  readonly clientId: string;
  readonly subject: Record<string, string>;
  readonly keys: FixKeyPair;
  readonly certificatePem: string;
  readonly keyPem: string;
  readonly caPem: string;
}

export const CONFIGURATION = `{ configuration { token { token } certificateSigningRequestInfo { subject keyAlgorithm } } }`;
export const SIGN = `mutation($csr: String!) { signCertificateSigningRequest(csr: $csr) { clientCertificate caCertificate } }`;

/** POSTs to the Connector on the HTTP listener with a one-time token. */
async function connector<T>(stack: Stack, query: string, variables: Record<string, unknown>, token: string) {
  const res = await fetch(`${stack.url}/connector/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'connector-token': token },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as GraphQLResponse<T>['body'];
}

/** Subject string `O=..,OU=..,CN=..` to its attributes. */
export function subjectOf(text: string): Record<string, string> {
  return Object.fromEntries(text.split(',').map((p) => p.split('=') as [string, string]));
}

/** A CSR (base64 PEM) for `subject` with a fresh key. */
export function fixCsr(subject: Record<string, string>, keys = fixRsaKeyPair()) {
  return { keys, csr: fixCsrBase64(fixCsrPem(keys, fixAttributes(subject))) };
}

/** A base64 PEM as the Connector returns certificates, decoded. */
export const pem = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');

/** Registers an application and pairs it as the pairing test does: token, configuration, CSR. */
export async function fixPairedApplication(stack: Stack, tenant: string): Promise<FixPairedClient> {
  const reg = await stack.gql<{ registerApplication: { id: string } }>(
    `mutation { registerApplication(in: { name: "paired-${Date.now()}" }) { id } }`,
    {},
    tenant,
  );
  const appId = reg.body.data!.registerApplication.id;
  const ott = await stack.gql<{ requestOneTimeTokenForApplication: { token: string } }>(
    `mutation($id: ID!) { requestOneTimeTokenForApplication(id: $id) { token } }`,
    { id: appId },
    tenant,
  );
  const config = await connector<{
    configuration: { token: { token: string }; certificateSigningRequestInfo: { subject: string } };
  }>(stack, CONFIGURATION, {}, ott.body.data!.requestOneTimeTokenForApplication.token);
  const subject = subjectOf(config.data!.configuration.certificateSigningRequestInfo.subject);
  const { keys, csr } = fixCsr(subject);
  const signed = await connector<{ signCertificateSigningRequest: Record<string, string> }>(
    stack,
    SIGN,
    { csr },
    config.data!.configuration.token.token,
  );
  if (signed.errors) throw new Error(`signing failed: ${JSON.stringify(signed.errors)}`);
  return {
    tenant,
    appId,
    clientId: subject.CN!,
    subject,
    keys,
    certificatePem: pem(signed.data!.signCertificateSigningRequest.clientCertificate!),
    keyPem: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    caPem: pem(signed.data!.signCertificateSigningRequest.caCertificate!),
  };
}

/** TLS client credentials; absent cert/key means no client certificate. */
export interface MtlsCredentials {
  readonly cert?: string;
  readonly key?: string;
  readonly ca: string;
}

/** POSTs a GraphQL operation to the mTLS listener (a fresh TLS connection each time). */
export function mtlsGql<T = Record<string, unknown>>(
  stack: Pick<Stack, 'mtlsUrl'>,
  api: 'director' | 'connector',
  credentials: MtlsCredentials,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const body = JSON.stringify({ query, variables });
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${stack.mtlsUrl}/${api}/graphql`,
      {
        method: 'POST',
        agent: false,
        ...credentials,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as GraphQLResponse<T>['body'] });
          } catch (err) {
            reject(err as Error);
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The client's credentials for {@link mtlsGql}. */
export function credentialsOf(
  client: FixPairedClient,
  certificatePem = client.certificatePem,
): MtlsCredentials {
  return { cert: certificatePem, key: client.keyPem, ca: client.caPem };
}

/** Renews over mTLS with a new key; returns the new certificate PEM and key PEM. */
export async function renewOverMtls(
  stack: Stack,
  client: FixPairedClient,
  credentials: MtlsCredentials,
): Promise<
  GraphQLResponse<{ signCertificateSigningRequest: { clientCertificate: string } }> & {
    renewed?: { certificatePem: string; keyPem: string };
  }
> {
  const { keys, csr } = fixCsr(client.subject);
  const res = await mtlsGql<{ signCertificateSigningRequest: { clientCertificate: string } }>(
    stack,
    'connector',
    credentials,
    SIGN,
    { csr },
  );
  const b64 = res.body.data?.signCertificateSigningRequest.clientCertificate;
  return {
    ...res,
    ...(b64 && {
      renewed: {
        certificatePem: pem(b64),
        keyPem: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      },
    }),
  };
}

/** The CN of a PEM certificate. */
export function commonNameOf(certificatePem: string): string | undefined {
  return /CN=([^\n,]+)/.exec(new X509Certificate(certificatePem).subject)?.[1];
}
