import { WithStartWorkflowOperation, WorkflowNotFoundError } from '@temporalio/client';
import type { CertificationResult } from '../../domain/certificate';
import { pairingWorkflowId } from '../../domain/ids';
import {
  ApplicationIdKey,
  CompassStatusKey,
  RuntimeIdKey,
  TenantIdKey,
} from '../../domain/search-attributes';
import {
  connectedSignal,
  issueTokenUpdate,
  type PairingArgs,
  redeemTokenUpdate,
  signCsrUpdate,
} from '../../workflows/pairing/messages';
import type { pairingWorkflow } from '../../workflows/pairing/workflow';
import { type WorkflowCaller, type WorkflowStarter, withDeadline } from './deadline';

/**
 * Starts a pairing (`pairing/<tenant>/<clientId>/<tokenId>`) with an Update; a pairing of that
 * token never starts twice. Searchable by tenant, paired object and phase.
 */
export function pairingStart(
  taskQueue: string,
  args: PairingArgs,
): WithStartWorkflowOperation<typeof pairingWorkflow> {
  const objectKey = args.kind === 'RUNTIME' ? RuntimeIdKey : ApplicationIdKey;
  return new WithStartWorkflowOperation<typeof pairingWorkflow>('pairingWorkflow', {
    workflowId: pairingWorkflowId(args.tenantId, args.clientId, args.tokenId),
    taskQueue,
    workflowIdConflictPolicy: 'FAIL',
    args: [args],
    typedSearchAttributes: [
      { key: TenantIdKey, value: args.tenantId },
      { key: objectKey, value: args.objectId },
      { key: CompassStatusKey, value: 'ISSUING' },
    ],
  });
}

/** Starts the pairing and stores its token; returns the token's expiry (ISO). */
export function issuePairingToken(deps: WorkflowStarter, args: PairingArgs): Promise<string> {
  const start = pairingStart(deps.taskQueue, args);
  return withDeadline(deps.temporal, deps.requestTimeoutMs, () =>
    deps.temporal.workflow.executeUpdateWithStart(issueTokenUpdate, { startWorkflowOperation: start }),
  );
}

/** Uses the pairing token of the pairing `workflowId` once, for a CSR token of hash `csrTokenHash`. */
export function redeemPairing(
  deps: WorkflowCaller,
  workflowId: string,
  csrTokenHash: string,
): Promise<{ clientId: string; csrTokenExpiresAt: string }> {
  const handle = deps.temporal.workflow.getHandle(workflowId);
  return withDeadline(deps.temporal, deps.requestTimeoutMs, () =>
    handle.executeUpdate(redeemTokenUpdate, { args: [csrTokenHash] }),
  );
}

/**
 * Signs the CSR in the pairing `workflowId`, authorised by the CSR token's hash. The pairing
 * hands the certificate to the client's certificate workflow in the same step.
 */
export function signPairingCsr(
  deps: WorkflowCaller,
  workflowId: string,
  input: { csrTokenHash: string; csr: string },
): Promise<CertificationResult> {
  const handle = deps.temporal.workflow.getHandle(workflowId);
  return withDeadline(deps.temporal, deps.requestTimeoutMs, () =>
    handle.executeUpdate(signCsrUpdate, { args: [input] }),
  );
}

/**
 * Completes the pairing `workflowId`: the client made its first certificate-authenticated
 * call. A pairing that already ended (connected or closed) has nothing left to complete.
 */
export async function completePairing(deps: WorkflowCaller, workflowId: string): Promise<void> {
  try {
    await deps.temporal.workflow.getHandle(workflowId).signal(connectedSignal);
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
}
