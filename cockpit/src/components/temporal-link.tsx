import '@ui5/webcomponents-icons/dist/action.js';
import { Link } from '@ui5/webcomponents-react/Link';
import { config } from '../config';

/** Which workflows of the Temporal UI an object's link opens. */
export type TemporalTarget =
  | { readonly kind: 'application'; readonly tenant: string; readonly id: string }
  | { readonly kind: 'runtime'; readonly tenant: string; readonly id: string }
  | { readonly kind: 'tenant'; readonly tenant: string };

/**
 * A visibility query over the search attributes every workflow of an object carries
 * (TenantId plus ApplicationId or RuntimeId): its lifecycle workflow, its pairings and its
 * spec fetches show up together.
 */
export function temporalQuery(target: TemporalTarget): string {
  const tenant = `TenantId="${target.tenant}"`;
  switch (target.kind) {
    case 'application':
      return `${tenant} AND ApplicationId="${target.id}"`;
    case 'runtime':
      return `${tenant} AND RuntimeId="${target.id}"`;
    case 'tenant':
      return tenant;
  }
}

export function temporalUrl(target: TemporalTarget): string {
  const base = config.temporalUiUrl.replace(/\/$/, '');
  const ns = encodeURIComponent(config.temporalNamespace);
  return `${base}/namespaces/${ns}/workflows?query=${encodeURIComponent(temporalQuery(target))}`;
}

/** "Open in Temporal UI": opens the object's workflows in a new tab. */
export function TemporalLink({ target }: { target: TemporalTarget }) {
  if (!config.temporalUiUrl) return null;
  return (
    <Link href={temporalUrl(target)} target="_blank" endIcon="action" data-testid="temporal-link">
      Open in Temporal UI
    </Link>
  );
}
