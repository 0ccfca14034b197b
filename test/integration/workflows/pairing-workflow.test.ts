import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation } from '@temporalio/client';
import type { Activities } from '../../../activities';
import type { CertificationResult } from '../../../domain/certificate';
import { certificateWorkflowId, pairingWorkflowId } from '../../../domain/ids';
import { SystemAuthKind } from '../../../domain/system-auth';
import { certificateIssuedSignal, getCertificatesQuery } from '../../../workflows/certificate/messages';
import { issueTokenUpdate, redeemTokenUpdate, signCsrUpdate } from '../../../workflows/pairing/messages';
import type { pairingWorkflow } from '../../../workflows/pairing/workflow';
import { useTemporal } from './temporal-fixture';

const temporal = useTemporal();

const HOUR = 3_600_000;

/** Trust activities that sign without a CA: each call returns a new certificate record. */
function fixTrustActivities(): Pick<
  Activities,
  'putToken' | 'deleteToken' | 'signCertificate' | 'markRenewalRequired' | 'revokeCertificate'
> {
  return {
    putToken: jest.fn(async () => undefined),
    deleteToken: jest.fn(async () => undefined),
    signCertificate: jest.fn(async (): Promise<CertificationResult> => ({
      certificateChain: 'chain',
      caCertificate: 'ca',
      clientCertificate: 'client',
      hash: randomUUID().replace(/-/g, ''),
      issuedAt: new Date().toISOString(),
      notAfter: new Date(Date.now() + 90 * 24 * HOUR).toISOString(),
    })),
    markRenewalRequired: jest.fn(async () => undefined),
    revokeCertificate: jest.fn(async () => undefined),
  };
}

/**
 * Runs a pairing through its three steps as the gateway would, and stops there: whatever the
 * gateway does after the last update never happens.
 */
async function pair(taskQueue: string, tenantId: string, clientId: string): Promise<CertificationResult> {
  const tokenId = randomUUID();
  const [token, csrToken] = [randomUUID(), randomUUID()].map((u) => (u + u).replace(/-/g, '').slice(0, 64));
  const start = new WithStartWorkflowOperation<typeof pairingWorkflow>('pairingWorkflow', {
    workflowId: pairingWorkflowId(tenantId, clientId, tokenId),
    taskQueue,
    workflowIdConflictPolicy: 'FAIL',
    args: [
      {
        tenantId,
        clientId,
        tokenId,
        tokenHash: token!,
        kind: SystemAuthKind.APPLICATION,
        objectId: clientId,
        tokenTtlMs: HOUR,
        csrTokenTtlMs: HOUR,
        connectWindowMs: HOUR,
        certificateGraceMs: HOUR,
      },
    ],
  });
  const client = temporal.client();
  await client.workflow.executeUpdateWithStart(issueTokenUpdate, { startWorkflowOperation: start });
  const pairing = await start.workflowHandle();
  await pairing.executeUpdate(redeemTokenUpdate, { args: [csrToken!] });
  const signed = await pairing.executeUpdate(signCsrUpdate, {
    args: [{ csrTokenHash: csrToken!, csr: 'csr' }],
  });
  await pairing.terminate('test over');
  return signed;
}

describe('pairing workflow', () => {
  it('hands the certificate it signs to the client’s certificate workflow, with no caller left to do it', async () => {
    const tenantId = `t-${randomUUID()}`;
    const clientId = randomUUID();
    await temporal.withWorker(fixTrustActivities(), async (taskQueue) => {
      const first = await pair(taskQueue, tenantId, clientId);
      const certificates = temporal.client().workflow.getHandle(certificateWorkflowId(tenantId, clientId));
      await expect(certificates.query(getCertificatesQuery)).resolves.toMatchObject({
        current: { hash: first.hash, issuedAt: first.issuedAt, notAfter: first.notAfter },
        revoked: false,
      });

      // The client pairs again: the running certificate workflow takes the new certificate.
      const second = await pair(taskQueue, tenantId, clientId);
      await expect(certificates.query(getCertificatesQuery)).resolves.toMatchObject({
        current: { hash: second.hash },
        superseded: [{ hash: first.hash }],
      });
      await certificates.terminate('test over');
    });
  });
});

describe('certificate workflow', () => {
  it('hands its certificates to a new run when its history grows long, losing none', async () => {
    const tenantId = `t-${randomUUID()}`;
    const clientId = randomUUID();
    // More signals than the test server lets a history grow before suggesting continue-as-new.
    const hashes = Array.from({ length: 80 }, () => randomUUID().replace(/-/g, ''));
    const certificate = (hash: string) => ({
      hash,
      issuedAt: new Date().toISOString(),
      notAfter: new Date(Date.now() + 90 * 24 * HOUR).toISOString(),
    });
    await temporal.withWorker(fixTrustActivities(), async (taskQueue) => {
      const client = temporal.client();
      const handle = await client.workflow.signalWithStart('certificateWorkflow', {
        workflowId: certificateWorkflowId(tenantId, clientId),
        taskQueue,
        args: [{ tenantId, clientId, graceMs: HOUR }],
        signal: certificateIssuedSignal,
        signalArgs: [certificate(hashes[0]!)],
      });
      const firstRun = handle.signaledRunId;
      for (const hash of hashes.slice(1)) await handle.signal(certificateIssuedSignal, certificate(hash));

      const latest = client.workflow.getHandle(handle.workflowId);
      await expect(latest.query(getCertificatesQuery)).resolves.toMatchObject({
        current: { hash: hashes.at(-1) },
        superseded: hashes.slice(0, -1).map((hash) => ({ hash })),
        revoked: false,
      });
      expect((await latest.describe()).runId).not.toBe(firstRun);
      const first = await client.workflow.getHandle(handle.workflowId, firstRun).describe();
      expect(first.status.name).toBe('CONTINUED_AS_NEW');
      await latest.terminate('test over');
    });
  });
});
