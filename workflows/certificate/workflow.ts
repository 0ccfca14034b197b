import {
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  certificateIssuedSignal,
  type CertificateWorkflowArgs,
  getCertificatesQuery,
  renewUpdate,
  revokeUpdate,
} from './messages';
import { ClientCertificates } from './state';

/** Longest single wait; the workflow re-evaluates its timers at least this often. */
const MAX_WAIT_MS = 24 * 3_600_000;

/**
 * A client's certificates live for years and the workflow wakes at least daily, so it hands
 * its state to a new run when Temporal suggests it (histories before it do not).
 */
const CONTINUES_AS_NEW = 'certificate-continues-as-new';

/**
 * One client's certificates, from its first certificate (started with signal-with-start by
 * the Connector) until revocation: it flags the current certificate for renewal when 30% of
 * its validity remains, signs renewals, revokes superseded certificates after the grace
 * period, and revokes and ends on `revoke`. It also ends once no certificate is left valid,
 * and continues as new when its history grows long.
 */
export async function certificateWorkflow(args: CertificateWorkflowArgs): Promise<string> {
  const certificates = new ClientCertificates(args);
  const mayContinueAsNew = patched(CONTINUES_AS_NEW);
  const continueAsNewDue = () => mayContinueAsNew && workflowInfo().continueAsNewSuggested;
  setHandler(certificateIssuedSignal, (certificate) => certificates.issued(certificate));
  setHandler(renewUpdate, (input) => certificates.renew(input), {
    validator: (input) => certificates.validateRenew(input),
  });
  setHandler(revokeUpdate, (input) => certificates.revoke(input), {
    validator: (input) => certificates.validateRevoke(input),
  });
  setHandler(getCertificatesQuery, () => ({
    ...(certificates.current && { current: certificates.current }),
    renewalRequired: certificates.renewalRequired,
    superseded: certificates.superseded.map((s) => ({
      hash: s.hash,
      revokeAt: new Date(s.revokeAt).toISOString(),
    })),
    revoked: certificates.revoked,
  }));

  await condition(() => certificates.current !== undefined || certificates.revoked, MAX_WAIT_MS);
  let handOver = false;
  while (!certificates.revoked && certificates.current) {
    if (Date.parse(certificates.current.notAfter) <= Date.now() && certificates.superseded.length === 0) {
      break;
    }
    if (continueAsNewDue()) {
      handOver = true;
      break;
    }
    const due = certificates.nextDue();
    const expiry = Date.parse(certificates.current.notAfter);
    const wake = Math.min(due, expiry);
    const waitMs = Math.min(Math.max(wake - Date.now(), 1), MAX_WAIT_MS);
    const before = certificates.current;
    const superseded = certificates.superseded.length;
    const interrupted = await condition(
      () =>
        certificates.revoked ||
        certificates.current !== before ||
        certificates.superseded.length !== superseded ||
        continueAsNewDue(),
      waitMs,
    );
    if (!interrupted) await certificates.runDue();
  }
  await condition(allHandlersFinished);
  if (handOver && !certificates.revoked) {
    await continueAsNew<typeof certificateWorkflow>({ ...args, carried: certificates.carry() });
  }
  return certificates.revoked ? 'revoked' : 'expired';
}
