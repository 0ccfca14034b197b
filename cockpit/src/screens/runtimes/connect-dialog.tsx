import { Bar } from '@ui5/webcomponents-react/Bar';
import { Button } from '@ui5/webcomponents-react/Button';
import { Dialog } from '@ui5/webcomponents-react/Dialog';
import { MessageStrip } from '@ui5/webcomponents-react/MessageStrip';
import { useEffect } from 'react';
import { useMutation } from 'urql';
import { ErrorStrip, Loading } from '../../components/states';
import { TemporalLink } from '../../components/temporal-link';
import { RequestOneTimeTokenForRuntimeDocument } from '../../generated/graphql';
import { Copyable } from '../applications/connect-dialog';

/**
 * Connect a runtime: a one-time token for its Runtime Agent and the commands that pair the
 * agent and keep it running (it then reports the runtime CONNECTED and heartbeats).
 */
export default function RuntimeConnectDialog({
  tenant,
  runtimeId,
  name,
  onClose,
}: {
  tenant: string;
  runtimeId: string;
  name: string;
  onClose: () => void;
}) {
  const [result, request] = useMutation(RequestOneTimeTokenForRuntimeDocument);
  useEffect(() => {
    void request({ id: runtimeId });
  }, [runtimeId, request]);
  const ott = result.data?.requestOneTimeTokenForRuntime;
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
              <Button onClick={() => void request({ id: runtimeId })} disabled={result.fetching}>
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
          <Copyable
            label="Command"
            value={`compass-agent connect --token '${ott.raw}'\ncompass-agent run`}
            rows={3}
          />
          <div>
            <TemporalLink
              target={{ kind: 'pairing', tenant, object: 'runtime', id: runtimeId }}
              testId="pairing-temporal-link"
              accessibleName={`Open the pairings of ${name} in Temporal UI`}
            />
          </div>
        </div>
      )}
    </Dialog>
  );
}
