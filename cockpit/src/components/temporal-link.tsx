import '@ui5/webcomponents-icons/dist/action.js';
import { Link } from '@ui5/webcomponents-react/Link';
import { config } from '../config';

/** Which workflows of the Temporal UI an object's link opens. */
export type TemporalTarget =
  | { readonly kind: 'application'; readonly tenant: string; readonly id: string }
  | { readonly kind: 'runtime'; readonly tenant: string; readonly id: string }
  | { readonly kind: 'tenant'; readonly tenant: string }
  /** The pairings of an application or a runtime (one workflow per one-time token). */
  | {
      readonly kind: 'pairing';
      readonly tenant: string;
      readonly object: 'application' | 'runtime';
      readonly id: string;
    }
  /** One workflow by its ID (domain/ids.ts), e.g. `credentials/<tenant>/<id>`. */
  | { readonly kind: 'workflow'; readonly workflowId: string };

/** `credentials/<tenant>/<id>`: the workflow of one credential request (domain/ids.ts). */
export function credentialRequestWorkflowId(tenant: string, id: string): string {
  return `credentials/${tenant}/${id}`;
}

/**
 * A visibility query over the search attributes every workflow of an object carries
 * (TenantId plus ApplicationId or RuntimeId): its lifecycle workflow, its pairings and its
 * spec fetches show up together.
 */
export function temporalQuery(target: TemporalTarget): string {
  if (target.kind === 'workflow') return `WorkflowId="${target.workflowId}"`;
  const tenant = `TenantId="${target.tenant}"`;
  switch (target.kind) {
    case 'application':
      return `${tenant} AND ApplicationId="${target.id}"`;
    case 'runtime':
      return `${tenant} AND RuntimeId="${target.id}"`;
    case 'tenant':
      return tenant;
    case 'pairing':
      return `${tenant} AND ${target.object === 'runtime' ? 'RuntimeId' : 'ApplicationId'}="${target.id}" AND WorkflowType="pairingWorkflow"`;
  }
}

export function temporalUrl(target: TemporalTarget): string {
  const base = config.temporalUiUrl.replace(/\/$/, '');
  const ns = encodeURIComponent(config.temporalNamespace);
  return `${base}/namespaces/${ns}/workflows?query=${encodeURIComponent(temporalQuery(target))}`;
}

/** "Open in Temporal UI": opens the object's workflows in a new tab. */
export function TemporalLink({
  target,
  testId = 'temporal-link',
  accessibleName,
}: {
  target: TemporalTarget;
  testId?: string;
  /** Tells apart several links on one screen (one per row of a table). */
  accessibleName?: string;
}) {
  if (!config.temporalUiUrl) return null;
  return (
    <Link
      href={temporalUrl(target)}
      target="_blank"
      endIcon="action"
      data-testid={testId}
      {...(accessibleName ? { accessibleName } : {})}
    >
      Open in Temporal UI
    </Link>
  );
}
