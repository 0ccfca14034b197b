import '@ui5/webcomponents-icons/dist/chain-link.js';
import { Button } from '@ui5/webcomponents-react/Button';
import { Tab } from '@ui5/webcomponents-react/Tab';
import { TabContainer } from '@ui5/webcomponents-react/TabContainer';
import { Text } from '@ui5/webcomponents-react/Text';
import { lazy, Suspense, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { ConfirmDialog } from '../../components/confirm';
import { LabelsEditor } from '../../components/labels-editor';
import { ScenarioTags } from '../../components/labels';
import { PageHeader } from '../../components/page-header';
import { ErrorStrip, Loading } from '../../components/states';
import { StatusTag } from '../../components/status';
import { TemporalLink } from '../../components/temporal-link';
import {
  ApplicationDocument,
  DeleteApplicationLabelDocument,
  SetApplicationLabelDocument,
  UnregisterApplicationDocument,
} from '../../generated/graphql';
import { href, navigate, useLocation, withQuery } from '../../router';
import { NotFound } from '../not-found';
import { AuthsTab, Facts } from './facts';
import { BundlesTab } from './bundles-tab';
import { WebhooksTab } from './webhooks-tab';

const ConnectDialog = lazy(() => import('./connect-dialog'));

const TABS = ['bundles', 'labels', 'webhooks', 'auths'] as const;

/** One application: its facts, bundles, labels, webhooks and identities; connect and unregister. */
export default function ApplicationDetails({ tenant, id }: { tenant: string; id: string }) {
  const location = useLocation();
  const tab = TABS.find((t) => t === location.query.get('tab')) ?? 'bundles';
  const [{ data, fetching, error }, refresh] = useQuery({ query: ApplicationDocument, variables: { id } });
  const [, setLabel] = useMutation(SetApplicationLabelDocument);
  const [, deleteLabel] = useMutation(DeleteApplicationLabelDocument);
  const [unregistering, unregister] = useMutation(UnregisterApplicationDocument);
  const [connecting, setConnecting] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const app = data?.application;
  const list = href([tenant, 'applications']);
  if (!app) {
    if (fetching) return <Loading />;
    return error ? <ErrorStrip error={error} /> : <NotFound what="This application" />;
  }
  const reload = () => refresh({ requestPolicy: 'network-only' });
  return (
    <section aria-label={`Application ${app.name}`}>
      <PageHeader
        title={app.name}
        crumbs={[{ text: 'Applications', href: list }]}
        subtitle={
          <>
            <StatusTag condition={app.status.condition} /> <ScenarioTags labels={app.labels} />{' '}
            <TemporalLink target={{ kind: 'application', tenant, id: app.id }} />
          </>
        }
        actions={
          <>
            <Button design="Emphasized" icon="chain-link" onClick={() => setConnecting(true)}>
              Connect
            </Button>
            <Button design="Negative" onClick={() => setConfirming(true)}>
              Unregister
            </Button>
          </>
        }
      />
      <ErrorStrip error={error ?? unregistering.error} />
      <Facts
        facts={[
          ['ID', app.id],
          ['Provider', app.providerName],
          ['Description', app.description],
          ['Base URL', app.baseUrl],
          ['Health check URL', app.healthCheckURL],
          ['Integration system', app.integrationSystemID],
          ['Eventing URL', app.eventingConfiguration?.defaultURL],
          ['Status since', new Date(app.status.timestamp).toLocaleString()],
        ]}
      />
      <TabContainer
        className="tabs"
        onTabSelect={(e) =>
          navigate(withQuery(location, { tab: (e.detail.tab as HTMLElement).dataset.key }), { replace: true })
        }
      >
        <Tab
          text="Bundles"
          data-key="bundles"
          selected={tab === 'bundles'}
          additionalText={String(app.bundles?.totalCount ?? 0)}
        >
          <BundlesTab tenant={tenant} application={app} onChange={reload} />
        </Tab>
        <Tab text="Labels" data-key="labels" selected={tab === 'labels'}>
          <LabelsEditor
            labels={app.labels}
            onSet={async (key, value) => (await setLabel({ applicationID: app.id, key, value })).error}
            onDelete={async (key) => (await deleteLabel({ applicationID: app.id, key })).error}
          />
        </Tab>
        <Tab text="Webhooks" data-key="webhooks" selected={tab === 'webhooks'}>
          <WebhooksTab applicationId={app.id} webhooks={app.webhooks ?? []} onChange={reload} />
        </Tab>
        <Tab text="Auths" data-key="auths" selected={tab === 'auths'}>
          <AuthsTab auths={app.auths ?? []} onChange={reload} />
        </Tab>
      </TabContainer>
      {connecting && (
        <Suspense fallback={null}>
          <ConnectDialog
            tenant={tenant}
            applicationId={app.id}
            name={app.name}
            onClose={() => setConnecting(false)}
          />
        </Suspense>
      )}
      <ConfirmDialog
        open={confirming}
        title={`Unregister ${app.name}?`}
        text="Its bundles, labels, webhooks and system identities are removed; paired systems lose access."
        action="Unregister"
        busy={unregistering.fetching}
        onCancel={() => setConfirming(false)}
        onConfirm={async () => {
          const res = await unregister({ id: app.id });
          setConfirming(false);
          if (!res.error) navigate(list);
        }}
      />
      <Text className="sr-only">{fetching ? 'Refreshing' : ''}</Text>
    </section>
  );
}
