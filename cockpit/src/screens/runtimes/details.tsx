import { Button } from '@ui5/webcomponents-react/Button';
import { Link } from '@ui5/webcomponents-react/Link';
import { Tab } from '@ui5/webcomponents-react/Tab';
import { TabContainer } from '@ui5/webcomponents-react/TabContainer';
import { Text } from '@ui5/webcomponents-react/Text';
import { lazy, Suspense, useCallback, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { ConfirmDialog } from '../../components/confirm';
import { LabelsEditor } from '../../components/labels-editor';
import { ScenarioTags } from '../../components/labels';
import { type Column, PAGE_SIZE, PagedTable } from '../../components/paged-table';
import { PageHeader } from '../../components/page-header';
import { ErrorStrip, Loading } from '../../components/states';
import { StatusTag } from '../../components/status';
import { TemporalLink } from '../../components/temporal-link';
import { usePolling } from '../../components/time';
import {
  ApplicationsForRuntimeDocument,
  type ApplicationsForRuntimeQuery,
  DeleteRuntimeLabelDocument,
  RuntimeDocument,
  SetRuntimeLabelDocument,
  UnregisterRuntimeDocument,
} from '../../generated/graphql';
import { follow, href, navigate, useLocation, withQuery } from '../../router';
import { Facts } from '../applications/facts';
import { NotFound } from '../not-found';
import { HEALTH_POLL_MS, HealthSection } from './health';
import { ProvisioningActions } from './provisioning';

const RuntimeConnectDialog = lazy(() => import('./connect-dialog'));

type AppRow = ApplicationsForRuntimeQuery['applicationsForRuntime']['data'][number];

/** The applications the runtime sees (applicationsForRuntime: a shared scenario). */
function RuntimeApplications({ tenant, runtimeId }: { tenant: string; runtimeId: string }) {
  const location = useLocation();
  const [{ data, fetching, error }] = useQuery({
    query: ApplicationsForRuntimeDocument,
    variables: { runtimeID: runtimeId, first: PAGE_SIZE, after: location.query.get('after') },
    requestPolicy: 'network-only',
  });
  const to = (r: AppRow) => href([tenant, 'applications', r.id]);
  const columns: Column<AppRow>[] = [
    {
      header: 'Name',
      cell: (r) => (
        <Link href={to(r)} onClick={follow(to(r))}>
          {r.name}
        </Link>
      ),
    },
    { header: 'Provider', cell: (r) => <Text>{r.providerName ?? '–'}</Text> },
    { header: 'Status', cell: (r) => <StatusTag condition={r.status.condition} />, width: '9rem' },
  ];
  const page = data?.applicationsForRuntime;
  return (
    <PagedTable
      name="Applications of the runtime"
      rows={page?.data}
      columns={columns}
      rowKey={(r) => r.id}
      rowHref={to}
      pageInfo={page?.pageInfo}
      totalCount={page?.totalCount}
      fetching={fetching}
      error={error}
      empty="No application shares a scenario with this runtime."
    />
  );
}

const TABS = ['applications', 'labels', 'health'] as const;

/** One runtime: facts, the applications it sees, labels, eventing and its workflows. */
export default function RuntimeDetails({ tenant, id }: { tenant: string; id: string }) {
  const location = useLocation();
  const tab = TABS.find((t) => t === location.query.get('tab')) ?? 'applications';
  const [{ data, fetching, error }, refresh] = useQuery({ query: RuntimeDocument, variables: { id } });
  // Status and health change without the user doing anything (pairing, heartbeats): poll.
  usePolling(
    useCallback(() => refresh({ requestPolicy: 'network-only' }), [refresh]),
    HEALTH_POLL_MS,
    Boolean(data?.runtime),
  );
  const [, setLabel] = useMutation(SetRuntimeLabelDocument);
  const [, deleteLabel] = useMutation(DeleteRuntimeLabelDocument);
  const [unregistering, unregister] = useMutation(UnregisterRuntimeDocument);
  const [confirming, setConfirming] = useState(false);
  const [connecting, setConnecting] = useState(false);
  const runtime = data?.runtime;
  const list = href([tenant, 'runtimes']);
  if (!runtime) {
    if (fetching) return <Loading />;
    return error ? <ErrorStrip error={error} /> : <NotFound what="This runtime" />;
  }
  return (
    <section aria-label={`Runtime ${runtime.name}`}>
      <PageHeader
        title={runtime.name}
        crumbs={[{ text: 'Runtimes', href: list }]}
        subtitle={
          <>
            <span data-testid="runtime-status">
              <StatusTag condition={runtime.status.condition} />
            </span>{' '}
            <span data-testid="runtime-health-badge">
              <StatusTag condition={runtime.health.status} />
            </span>{' '}
            <ScenarioTags labels={runtime.labels} />{' '}
            <TemporalLink target={{ kind: 'runtime', tenant, id: runtime.id }} />
          </>
        }
        actions={
          <>
            <ProvisioningActions tenant={tenant} runtimeId={runtime.id} name={runtime.name} />
            <Button onClick={() => setConnecting(true)}>Connect</Button>
            <Button design="Negative" onClick={() => setConfirming(true)}>
              Unregister
            </Button>
          </>
        }
      />
      <ErrorStrip error={unregistering.error} />
      <Facts
        facts={[
          ['ID', runtime.id],
          ['Description', runtime.description],
          ['Eventing URL', runtime.eventingConfiguration?.defaultURL || 'not reported by its agent yet'],
          ['Created', new Date(runtime.metadata.creationTimestamp).toLocaleString()],
          ['Status since', new Date(runtime.status.timestamp).toLocaleString()],
          ['System identities', (runtime.auths ?? []).map((a) => a.id).join(', ')],
        ]}
      />
      <TabContainer
        className="tabs"
        onTabSelect={(e) =>
          navigate(
            withQuery(location, { tab: (e.detail.tab as HTMLElement).dataset.key, after: undefined }),
            { replace: true },
          )
        }
      >
        <Tab text="Applications" data-key="applications" selected={tab === 'applications'}>
          {tab === 'applications' && <RuntimeApplications tenant={tenant} runtimeId={runtime.id} />}
        </Tab>
        <Tab text="Labels" data-key="labels" selected={tab === 'labels'}>
          <LabelsEditor
            labels={runtime.labels}
            onSet={async (key, value) => (await setLabel({ runtimeID: runtime.id, key, value })).error}
            onDelete={async (key) => (await deleteLabel({ runtimeID: runtime.id, key })).error}
          />
        </Tab>
        <Tab text="Health and operations" data-key="health" selected={tab === 'health'}>
          {tab === 'health' && (
            <HealthSection tenant={tenant} runtimeId={runtime.id} health={runtime.health} />
          )}
        </Tab>
      </TabContainer>
      {connecting && (
        <Suspense fallback={null}>
          <RuntimeConnectDialog
            tenant={tenant}
            runtimeId={runtime.id}
            name={runtime.name}
            onClose={() => setConnecting(false)}
          />
        </Suspense>
      )}
      <ConfirmDialog
        open={confirming}
        title={`Unregister ${runtime.name}?`}
        text="The runtime and its contexts are removed; its agent loses access."
        action="Unregister"
        busy={unregistering.fetching}
        onCancel={() => setConfirming(false)}
        onConfirm={async () => {
          const res = await unregister({ id: runtime.id });
          setConfirming(false);
          if (!res.error) navigate(list);
        }}
      />
    </section>
  );
}
