import { MessageStrip } from '@ui5/webcomponents-react/MessageStrip';
import { Table } from '@ui5/webcomponents-react/Table';
import { TableCell } from '@ui5/webcomponents-react/TableCell';
import { TableHeaderCell } from '@ui5/webcomponents-react/TableHeaderCell';
import { TableHeaderRow } from '@ui5/webcomponents-react/TableHeaderRow';
import { TableRow } from '@ui5/webcomponents-react/TableRow';
import { Text } from '@ui5/webcomponents-react/Text';
import { Title } from '@ui5/webcomponents-react/Title';
import { useCallback } from 'react';
import { useQuery } from 'urql';
import { type Column, PAGE_SIZE, PagedTable } from '../../components/paged-table';
import { StatusTag } from '../../components/status';
import { Ago, usePolling } from '../../components/time';
import {
  type RuntimeHealthFieldsFragment,
  RuntimeHealthHistoryDocument,
  type RuntimeHealthHistoryQuery,
  type RuntimeHealthStatus,
} from '../../generated/graphql';
import { useLocation } from '../../router';
import { RuntimeOperations } from './provisioning';

/** Every health a runtime can be in, in the order the filter offers them. */
export const HEALTH_STATUSES: readonly RuntimeHealthStatus[] = [
  'HEALTHY',
  'DEGRADED',
  'UNREACHABLE',
  'UNKNOWN',
];

/** How often an open runtime page asks again (an agent heartbeats every few seconds). */
export const HEALTH_POLL_MS = 5000;

/** The runtime list's health cell: the badge and when the last heartbeat arrived. */
export function HealthCell({
  health,
}: {
  health: { status: RuntimeHealthStatus; lastHeartbeat?: string | null | undefined };
}) {
  return (
    <span className="health-cell">
      <StatusTag condition={health.status} />
      <span className="small muted">
        <Ago iso={health.lastHeartbeat} never="no heartbeat" />
      </span>
    </span>
  );
}

type HistoryRow = RuntimeHealthHistoryQuery['healthChecks']['data'][number];

/** The runtime's health transitions (healthChecks of type RUNTIME_HEARTBEAT, origin = its ID). */
function HealthHistory({ runtimeId }: { runtimeId: string }) {
  const location = useLocation();
  const [{ data, fetching, error }, refresh] = useQuery({
    query: RuntimeHealthHistoryDocument,
    variables: { origin: runtimeId, first: PAGE_SIZE, after: location.query.get('after') },
    requestPolicy: 'network-only',
  });
  const first = !location.query.get('after');
  usePolling(
    useCallback(() => refresh({ requestPolicy: 'network-only' }), [refresh]),
    HEALTH_POLL_MS,
    first,
  );
  const columns: Column<HistoryRow>[] = [
    {
      header: 'When',
      cell: (r) => <Text>{new Date(r.timestamp).toLocaleString()}</Text>,
      width: '13rem',
    },
    {
      header: 'Health',
      cell: (r) => (r.runtimeHealth ? <StatusTag condition={r.runtimeHealth} /> : <Text>–</Text>),
      width: '9rem',
    },
    { header: 'Check', cell: (r) => <StatusTag condition={r.condition} />, width: '9rem', minWidth: 90 },
    { header: 'Message', cell: (r) => <Text>{r.message ?? ''}</Text>, minWidth: 200 },
  ];
  return (
    <PagedTable
      name="Health history"
      rows={data?.healthChecks.data}
      columns={columns}
      rowKey={(r) => `${r.timestamp}-${r.runtimeHealth ?? ''}`}
      pageInfo={data?.healthChecks.pageInfo}
      totalCount={data?.healthChecks.totalCount}
      fetching={fetching}
      error={error}
      empty="No health transitions yet: the runtime's agent has not reported."
    />
  );
}

/**
 * The runtime's health as the control plane sees it (status, since when, last heartbeat, the
 * checks of the heartbeat that caused the last transition) and its history; the runtime
 * page and the history refresh every few seconds while open.
 */
export function HealthSection({
  tenant,
  runtimeId,
  health,
}: {
  tenant: string;
  runtimeId: string;
  health: RuntimeHealthFieldsFragment;
}) {
  return (
    <section className="health" aria-label="Health and operations" data-testid="runtime-health">
      <dl className="facts">
        <div className="fact">
          <dt>Health</dt>
          <dd data-testid="runtime-health-status">
            <StatusTag condition={health.status} />
          </dd>
        </div>
        <div className="fact">
          <dt>Since</dt>
          <dd>
            <Ago iso={health.since} never="never reported" />
          </dd>
        </div>
        <div className="fact">
          <dt>Last heartbeat</dt>
          <dd>
            <Ago iso={health.lastHeartbeat} never="none received" />
          </dd>
        </div>
      </dl>
      {health.status === 'UNKNOWN' && !health.since && (
        <MessageStrip design="Information" hideCloseButton className="strip">
          The runtime has not reported its health: its Runtime Agent reports once paired (Connect, then run
          the commands shown).
        </MessageStrip>
      )}
      <Title level="H3" size="H5" className="section-heading">
        Checks of the last transition
      </Title>
      <div className="content-section">
        <Table
          accessibleName="Health checks"
          noData={<Text className="no-data">No checks reported.</Text>}
          headerRow={
            <TableHeaderRow>
              <TableHeaderCell width="30%">Check</TableHeaderCell>
              <TableHeaderCell width="8rem">Status</TableHeaderCell>
              <TableHeaderCell>Message</TableHeaderCell>
            </TableHeaderRow>
          }
        >
          {health.checks.map((c) => (
            <TableRow key={c.name} rowKey={c.name}>
              <TableCell>
                <Text className="mono">{c.name}</Text>
              </TableCell>
              <TableCell>
                <StatusTag condition={c.status} />
              </TableCell>
              <TableCell>
                <Text>{c.message ?? ''}</Text>
              </TableCell>
            </TableRow>
          ))}
        </Table>
      </div>
      <Title level="H3" size="H5" className="section-heading">
        Health history
      </Title>
      <HealthHistory runtimeId={runtimeId} />
      <Title level="H3" size="H5" className="section-heading">
        Operations
      </Title>
      <RuntimeOperations tenant={tenant} runtimeId={runtimeId} />
    </section>
  );
}
