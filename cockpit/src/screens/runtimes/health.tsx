import { MessageStrip } from '@ui5/webcomponents-react/MessageStrip';
import { Text } from '@ui5/webcomponents-react/Text';

/**
 * Runtime health and operations. The Director API does not report a runtime's health
 * (HEALTHY/DEGRADED/UNREACHABLE/UNKNOWN, last heartbeat, health history) or its
 * provisioning operations yet; these components are where they go once `Runtime` has them.
 * Until then they say so instead of guessing.
 */
export function HealthCell() {
  return (
    <Text className="muted" title="The API does not report runtime health yet">
      not reported
    </Text>
  );
}

export function HealthSection() {
  return (
    <section className="content-section" aria-label="Health and operations" data-testid="runtime-health">
      <MessageStrip design="Information" hideCloseButton>
        Health (last heartbeat, health history) and provisioning operations appear here once the API reports
        them for runtimes.
      </MessageStrip>
    </section>
  );
}
