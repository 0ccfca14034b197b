import type { CertificationResult } from '../../domain/certificate';
import { certificateWorkflowId } from '../../domain/ids';
import { renewUpdate, revokeUpdate } from '../../workflows/certificate/messages';
import { type WorkflowCaller, withDeadline } from './deadline';

/**
 * Signs a renewal CSR in the client's certificate workflow (`certificate/<tenant>/<clientId>`)
 * for the client whose current certificate has `presentedHash`. The pairing starts that
 * workflow when it signs the client's first certificate; the API only reaches the running one.
 */
export function renewCertificate(
  deps: WorkflowCaller,
  tenantId: string,
  clientId: string,
  input: { presentedHash: string; csr: string },
): Promise<CertificationResult> {
  const handle = deps.temporal.workflow.getHandle(certificateWorkflowId(tenantId, clientId));
  return withDeadline(deps.temporal, deps.requestTimeoutMs, () =>
    handle.executeUpdate(renewUpdate, { args: [input] }),
  );
}

/** Revokes the presented certificate; revoking the current one revokes all and ends the workflow. */
export function revokeCertificate(
  deps: WorkflowCaller,
  tenantId: string,
  clientId: string,
  input: { presentedHash: string },
): Promise<boolean> {
  const handle = deps.temporal.workflow.getHandle(certificateWorkflowId(tenantId, clientId));
  return withDeadline(deps.temporal, deps.requestTimeoutMs, () =>
    handle.executeUpdate(revokeUpdate, { args: [input] }),
  );
}
