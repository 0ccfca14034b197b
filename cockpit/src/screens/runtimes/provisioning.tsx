import '@ui5/webcomponents-icons/dist/delete.js';
import '@ui5/webcomponents-icons/dist/connected.js';
import { Button } from '@ui5/webcomponents-react/Button';
import { Link } from '@ui5/webcomponents-react/Link';
import { MessageStrip } from '@ui5/webcomponents-react/MessageStrip';
import { Table } from '@ui5/webcomponents-react/Table';
import { TableCell } from '@ui5/webcomponents-react/TableCell';
import { TableHeaderCell } from '@ui5/webcomponents-react/TableHeaderCell';
import { TableHeaderRow } from '@ui5/webcomponents-react/TableHeaderRow';
import { TableRow } from '@ui5/webcomponents-react/TableRow';
import { Text } from '@ui5/webcomponents-react/Text';
import { useCallback, useState } from 'react';
import { type CombinedError, useMutation, useQuery } from 'urql';
import { ConfirmDialog } from '../../components/confirm';
import { ErrorStrip, Loading } from '../../components/states';
import { StatusTag } from '../../components/status';
import { TemporalLink } from '../../components/temporal-link';
import { usePolling, useTick } from '../../components/time';
import { ErrorCode, errorCode } from '../../errors';
import {
  DeprovisionRuntimeDocument,
  ProvisionedRuntimeStatusDocument,
  ReconnectRuntimeAgentDocument,
  RuntimeOperationsDocument,
} from '../../generated/provisioner';
import { ProvisionerScope } from '../../provisioner-client';
import { follow, href, navigate } from '../../router';
import {
  elapsed,
  isFinished,
  OPERATION_POLL_MS,
  operationTitle,
  provisioningWorkflowId,
} from './operation-text';

/** A runtime registered through the Director, not provisioned: the Provisioner does not know it. */
const notProvisioned = (error: CombinedError | undefined) => errorCode(error) === ErrorCode.NotFound;

/** How often the runtime page asks for its operations: every second while one runs. */
const IDLE_POLL_MS = 5000;

function OperationsTable({ tenant, runtimeId }: { tenant: string; runtimeId: string }) {
  const [{ data, fetching, error }, refresh] = useQuery({
    query: RuntimeOperationsDocument,
    variables: { id: runtimeId },
    requestPolicy: 'network-only',
  });
  const now = useTick(1000);
  const operations = data?.runtimeOperations;
  const running = operations?.some((o) => !isFinished(o.state)) ?? false;
  usePolling(
    useCallback(() => refresh({ requestPolicy: 'network-only' }), [refresh]),
    running ? OPERATION_POLL_MS : IDLE_POLL_MS,
    Boolean(operations),
  );
  if (!operations) {
    if (notProvisioned(error))
      return (
        <MessageStrip design="Information" hideCloseButton className="strip" data-testid="not-provisioned">
          This runtime was registered, not provisioned: it has no provisioning operations.
        </MessageStrip>
      );
    return fetching ? <Loading /> : <ErrorStrip error={error} />;
  }
  // Newest first: the operation a user just started is on top.
  const rows = [...operations].reverse();
  return (
    <div className="content-section">
      <Table
        accessibleName="Operations"
        noData={<Text className="no-data">No operations.</Text>}
        headerRow={
          <TableHeaderRow>
            <TableHeaderCell width="12rem">Operation</TableHeaderCell>
            <TableHeaderCell width="8rem">State</TableHeaderCell>
            <TableHeaderCell width="12rem">Started</TableHeaderCell>
            <TableHeaderCell width="7rem">Duration</TableHeaderCell>
            <TableHeaderCell minWidth="200px">Stage or error</TableHeaderCell>
            <TableHeaderCell width="11rem">
              <span className="sr-only">Workflow</span>
            </TableHeaderCell>
          </TableHeaderRow>
        }
      >
        {rows.map((o) => {
          const id = o.id ?? '';
          const to = href([tenant, 'runtimes', runtimeId, 'operations', id]);
          const current = o.stages.at(-1);
          return (
            <TableRow key={id} rowKey={id} data-operation={o.operation}>
              <TableCell>
                <Link href={to} onClick={follow(to)} accessibleName={`${operationTitle(o.operation)} ${id}`}>
                  {operationTitle(o.operation)}
                </Link>
              </TableCell>
              <TableCell>
                <StatusTag condition={o.state} />
              </TableCell>
              <TableCell>
                <Text>{o.startedAt ? new Date(o.startedAt).toLocaleString() : '–'}</Text>
              </TableCell>
              <TableCell>
                <Text>{elapsed(o.startedAt, o.finishedAt, now) ?? '–'}</Text>
              </TableCell>
              <TableCell>
                {o.lastError ? (
                  <Text className="negative">{o.lastError.errMessage}</Text>
                ) : (
                  <Text>
                    {isFinished(o.state)
                      ? `${o.stages.length} stages`
                      : current
                        ? operationTitle(current.name)
                        : 'Pending'}
                  </Text>
                )}
              </TableCell>
              <TableCell>
                <TemporalLink
                  target={{ kind: 'workflow', workflowId: provisioningWorkflowId(tenant, runtimeId, id) }}
                  testId="operation-temporal-link"
                  accessibleName={`Open ${operationTitle(o.operation)} ${id} in Temporal UI`}
                />
              </TableCell>
            </TableRow>
          );
        })}
      </Table>
    </div>
  );
}

/** The runtime's provisioning operations (runtimeOperations), each linked to its timeline and workflow. */
export function RuntimeOperations(props: { tenant: string; runtimeId: string }) {
  return (
    <ProvisionerScope>
      <OperationsTable {...props} />
    </ProvisionerScope>
  );
}

function Actions({ tenant, runtimeId, name }: { tenant: string; runtimeId: string; name: string }) {
  const [{ data }] = useQuery({
    query: ProvisionedRuntimeStatusDocument,
    variables: { id: runtimeId },
    requestPolicy: 'network-only',
  });
  const [deprovisioning, deprovision] = useMutation(DeprovisionRuntimeDocument);
  const [reconnecting, reconnect] = useMutation(ReconnectRuntimeAgentDocument);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<CombinedError>();
  const status = data?.runtimeStatus;
  if (!status) return null;
  const open = (operationId: string) =>
    navigate(href([tenant, 'runtimes', runtimeId, 'operations', operationId]));
  const busy = deprovisioning.fetching || reconnecting.fetching;
  return (
    <>
      <Button
        icon="connected"
        disabled={busy}
        tooltip="Install the Runtime Agent again with a fresh one-time token"
        onClick={async () => {
          const res = await reconnect({ id: runtimeId });
          setError(res.error);
          if (res.data) open(res.data.reconnectRuntimeAgent);
        }}
      >
        Reconnect agent
      </Button>
      <Button design="Negative" icon="delete" disabled={busy} onClick={() => setConfirming(true)}>
        Deprovision
      </Button>
      {error && (
        <div className="action-error">
          <ErrorStrip error={error} onClose={() => setError(undefined)} />
        </div>
      )}
      <ConfirmDialog
        open={confirming}
        title={`Deprovision ${name}?`}
        text="Its credentials are revoked, its agent removed and its cluster deleted; then the runtime is unregistered. A running operation on it is cancelled first."
        action="Deprovision"
        busy={deprovisioning.fetching}
        onCancel={() => setConfirming(false)}
        onConfirm={async () => {
          const res = await deprovision({ id: runtimeId });
          setConfirming(false);
          setError(res.error);
          if (res.data) open(res.data.deprovisionRuntime);
        }}
      />
    </>
  );
}

/** Reconnect and Deprovision, shown only for a runtime the Provisioner provisioned. */
export function ProvisioningActions(props: { tenant: string; runtimeId: string; name: string }) {
  return (
    <ProvisionerScope>
      <Actions {...props} />
    </ProvisionerScope>
  );
}
