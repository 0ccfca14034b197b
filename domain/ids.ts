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
