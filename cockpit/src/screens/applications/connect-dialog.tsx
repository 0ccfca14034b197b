import '@ui5/webcomponents-icons/dist/copy.js';
import { Bar } from '@ui5/webcomponents-react/Bar';
import { Button } from '@ui5/webcomponents-react/Button';
import { Dialog } from '@ui5/webcomponents-react/Dialog';
import { Label } from '@ui5/webcomponents-react/Label';
import { MessageStrip } from '@ui5/webcomponents-react/MessageStrip';
import { TextArea } from '@ui5/webcomponents-react/TextArea';
import { useEffect } from 'react';
import { useMutation } from 'urql';
import { Loading, ErrorStrip } from '../../components/states';
import { TemporalLink } from '../../components/temporal-link';
import { RequestOneTimeTokenForApplicationDocument } from '../../generated/graphql';

/** A read-only value with a copy button. */
export function Copyable({ label, value, rows = 1 }: { label: string; value: string; rows?: number }) {
  return (
    <div className="copyable">
      <Label showColon>{label}</Label>
      <div className="copyable-row">
        <TextArea
          readonly
          value={value}
          rows={rows}
          accessibleName={label}
          data-testid={`connect-${label}`}
        />
        <Button
          icon="copy"
          design="Transparent"
          accessibleName={`Copy ${label}`}
          onClick={() => void navigator.clipboard?.writeText(value)}
        />
      </div>
    </div>
  );
}

/**
 * Connect: requests a one-time token for the application and shows what its operator needs
 * to pair it: the token, the Connector URLs and a command that redeems the token. Each token
 * starts a pairing workflow; the link opens the application's pairings in the Temporal UI.
 */
export default function ConnectDialog({
  tenant,
  applicationId,
  name,
  onClose,
}: {
  tenant: string;
  applicationId: string;
  name: string;
  onClose: () => void;
}) {
  const [result, request] = useMutation(RequestOneTimeTokenForApplicationDocument);
  useEffect(() => {
    void request({ id: applicationId });
  }, [applicationId, request]);
  const ott = result.data?.requestOneTimeTokenForApplication;
  const command = ott
    ? `curl -s -H 'Content-Type: application/json' -H 'Connector-Token: ${ott.token}' \\\n  -d '{"query":"{ configuration { token { token } certificateSigningRequestInfo { subject keyAlgorithm } } }"}' \\\n  ${ott.connectorURL}`
    : '';
  return (
    <Dialog
      open
      headerText={`Connect ${name}`}
      onClose={onClose}
      className="form-dialog wide"
      footer={
        <Bar
          design="Footer"
          endContent={
            <>
              <Button onClick={() => void request({ id: applicationId })} disabled={result.fetching}>
                New token
              </Button>
              <Button design="Emphasized" onClick={onClose}>
                Close
              </Button>
            </>
          }
        />
      }
    >
      <ErrorStrip error={result.error} />
      {result.fetching && !ott && <Loading text="Requesting a one-time token…" />}
      {ott && (
        <div className="connect" data-testid="connect-token">
          <MessageStrip design="Information" hideCloseButton>
            The token can be used once and expires in a few minutes.
          </MessageStrip>
          <Copyable label="Token" value={ott.token} />
          <Copyable label="Connector URL" value={ott.connectorURL} />
          <Copyable label="Legacy connector URL" value={ott.legacyConnectorURL} rows={2} />
          <Copyable label="Command" value={command} rows={4} />
          <div>
            <TemporalLink
              target={{ kind: 'pairing', tenant, object: 'application', id: applicationId }}
              testId="pairing-temporal-link"
              accessibleName={`Open the pairings of ${name} in Temporal UI`}
            />
          </div>
        </div>
      )}
    </Dialog>
  );
}
