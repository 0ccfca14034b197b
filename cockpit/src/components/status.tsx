import { Tag } from '@ui5/webcomponents-react/Tag';

type Design = 'Positive' | 'Critical' | 'Negative' | 'Information' | 'Neutral';

const DESIGNS: Record<string, Design> = {
  CONNECTED: 'Positive',
  SUCCEEDED: 'Positive',
  HEALTHY: 'Positive',
  UP: 'Positive',
  DOWN: 'Negative',
  PENDING: 'Information',
  UNUSED: 'Neutral',
  INITIAL: 'Information',
  PROVISIONING: 'Information',
  DEGRADED: 'Critical',
  FAILED: 'Negative',
  UNREACHABLE: 'Negative',
  UNKNOWN: 'Neutral',
  // The Provisioner's operation and stage states, as Kyma spells them.
  Pending: 'Information',
  InProgress: 'Information',
  Succeeded: 'Positive',
  Failed: 'Negative',
};

/** A condition (application, runtime, fetch request, health) as a coloured tag. */
export function StatusTag({ condition }: { condition: string }) {
  return (
    <Tag design={DESIGNS[condition] ?? 'Neutral'} hideStateIcon data-condition={condition}>
      {condition}
    </Tag>
  );
}
