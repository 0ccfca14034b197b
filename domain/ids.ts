/**
 * Workflow ID builders and their parsers. Every workflow ID starts with its kind and carries
 * the tenant, so IDs never collide across tenants and an operator can read them at a glance.
 */

export const WorkflowKind = {
  application: 'application',
  runtime: 'runtime',
  provision: 'provision',
  pairing: 'pairing',
  certificate: 'certificate',
  credentials: 'credentials',
  specFetch: 'specfetch',
} as const;
export type WorkflowKind = (typeof WorkflowKind)[keyof typeof WorkflowKind];

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function segment(value: string, what: string): string {
  if (!SEGMENT.test(value))
    throw new TypeError(`invalid ${what} for a workflow ID: ${JSON.stringify(value)}`);
  return value;
}

/** `application/<tenant>/<appId>` */
export function applicationWorkflowId(tenantId: string, applicationId: string): string {
  return `${WorkflowKind.application}/${segment(tenantId, 'tenant')}/${segment(applicationId, 'application ID')}`;
}

/** Inverse of {@link applicationWorkflowId}; undefined for any other shape. */
export function parseApplicationWorkflowId(
  workflowId: string,
): { tenantId: string; applicationId: string } | undefined {
  const parts = workflowId.split('/');
  if (parts.length !== 3 || parts[0] !== WorkflowKind.application) return undefined;
  const [, tenantId, applicationId] = parts as [string, string, string];
  if (!SEGMENT.test(tenantId) || !SEGMENT.test(applicationId)) return undefined;
  return { tenantId, applicationId };
}

/** `runtime/<tenant>/<runtimeId>` */
export function runtimeWorkflowId(tenantId: string, runtimeId: string): string {
  return `${WorkflowKind.runtime}/${segment(tenantId, 'tenant')}/${segment(runtimeId, 'runtime ID')}`;
}

/** Inverse of {@link runtimeWorkflowId}; undefined for any other shape. */
export function parseRuntimeWorkflowId(
  workflowId: string,
): { tenantId: string; runtimeId: string } | undefined {
  const parts = workflowId.split('/');
  if (parts.length !== 3 || parts[0] !== WorkflowKind.runtime) return undefined;
  const [, tenantId, runtimeId] = parts as [string, string, string];
  if (!SEGMENT.test(tenantId) || !SEGMENT.test(runtimeId)) return undefined;
  return { tenantId, runtimeId };
}

/** `provision/<tenant>/<runtimeId>/<operationId>`: one provisioning operation on a runtime. */
export function provisioningWorkflowId(tenantId: string, runtimeId: string, operationId: string): string {
  return `${WorkflowKind.provision}/${segment(tenantId, 'tenant')}/${segment(runtimeId, 'runtime ID')}/${segment(operationId, 'operation ID')}`;
}

/** Inverse of {@link provisioningWorkflowId}; undefined for any other shape. */
export function parseProvisioningWorkflowId(
  workflowId: string,
): { tenantId: string; runtimeId: string; operationId: string } | undefined {
  const parts = workflowId.split('/');
  if (parts.length !== 4 || parts[0] !== WorkflowKind.provision) return undefined;
  const [, tenantId, runtimeId, operationId] = parts as [string, string, string, string];
  if (!SEGMENT.test(tenantId) || !SEGMENT.test(runtimeId) || !SEGMENT.test(operationId)) return undefined;
  return { tenantId, runtimeId, operationId };
}

/** `pairing/<tenant>/<clientId>/<tokenId>`: one pairing, from one-time token to first call. */
export function pairingWorkflowId(tenantId: string, clientId: string, tokenId: string): string {
  return `${WorkflowKind.pairing}/${segment(tenantId, 'tenant')}/${segment(clientId, 'client ID')}/${segment(tokenId, 'token ID')}`;
}

/** `specfetch/<tenant>/<specOwnerId>`: one fetch of the spec of an API, event or document. */
export function specFetchWorkflowId(tenantId: string, ownerId: string): string {
  return `${WorkflowKind.specFetch}/${segment(tenantId, 'tenant')}/${segment(ownerId, 'spec owner ID')}`;
}

/** `certificate/<tenant>/<clientId>`: a client's certificates, from first issue to revocation. */
export function certificateWorkflowId(tenantId: string, clientId: string): string {
  return `${WorkflowKind.certificate}/${segment(tenantId, 'tenant')}/${segment(clientId, 'client ID')}`;
}

/** Inverse of {@link certificateWorkflowId}; undefined for any other shape. */
export function parseCertificateWorkflowId(
  workflowId: string,
): { tenantId: string; clientId: string } | undefined {
  const parts = workflowId.split('/');
  if (parts.length !== 3 || parts[0] !== WorkflowKind.certificate) return undefined;
  const [, tenantId, clientId] = parts as [string, string, string];
  if (!SEGMENT.test(tenantId) || !SEGMENT.test(clientId)) return undefined;
  return { tenantId, clientId };
}

/** `credentials/<tenant>/<bundleInstanceAuthId>`: one credential request, from request to deletion. */
export function credentialRequestWorkflowId(tenantId: string, bundleInstanceAuthId: string): string {
  return `${WorkflowKind.credentials}/${segment(tenantId, 'tenant')}/${segment(bundleInstanceAuthId, 'bundle instance auth ID')}`;
}

/** Inverse of {@link credentialRequestWorkflowId}; undefined for any other shape. */
export function parseCredentialRequestWorkflowId(
  workflowId: string,
): { tenantId: string; bundleInstanceAuthId: string } | undefined {
  const parts = workflowId.split('/');
  if (parts.length !== 3 || parts[0] !== WorkflowKind.credentials) return undefined;
  const [, tenantId, bundleInstanceAuthId] = parts as [string, string, string];
  if (!SEGMENT.test(tenantId) || !SEGMENT.test(bundleInstanceAuthId)) return undefined;
  return { tenantId, bundleInstanceAuthId };
}
