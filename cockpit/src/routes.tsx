import { lazy, Suspense } from 'react';
import { Loading } from './components/states';
import { ApplicationsList } from './screens/applications/list';
import { NotFound } from './screens/not-found';

const ApplicationDetails = lazy(() => import('./screens/applications/details'));
const BundleDetails = lazy(() => import('./screens/applications/bundle'));
const RuntimesList = lazy(() => import('./screens/runtimes/list'));
const RuntimeDetails = lazy(() => import('./screens/runtimes/details'));
const ProvisionRuntime = lazy(() => import('./screens/runtimes/provision'));
const RuntimeOperation = lazy(() => import('./screens/runtimes/operation'));
const Scenarios = lazy(() => import('./screens/scenarios/scenarios'));
const LabelDefinitions = lazy(() => import('./screens/scenarios/label-definitions'));
const Assignments = lazy(() => import('./screens/scenarios/assignments'));
const IntegrationSystems = lazy(() => import('./screens/systems/integration-systems'));
const ApplicationTemplates = lazy(() => import('./screens/systems/application-templates'));

/** The screen for a path below /cockpit/<tenant>/; every screen has its own URL. */
function Screen({ tenant, segments }: { tenant: string; segments: readonly string[] }) {
  const [section, id, sub, subId] = segments;
  switch (section) {
    case undefined:
    case 'applications':
      if (!id) return <ApplicationsList tenant={tenant} />;
      if (sub === 'bundles' && subId)
        return <BundleDetails tenant={tenant} applicationId={id} bundleId={subId} />;
      return <ApplicationDetails tenant={tenant} id={id} />;
    case 'runtimes':
      if (!id) return <RuntimesList tenant={tenant} />;
      if (id === 'provision') return <ProvisionRuntime tenant={tenant} />;
      if (sub === 'operations' && subId)
        return <RuntimeOperation tenant={tenant} runtimeId={id} operationId={subId} />;
      return <RuntimeDetails tenant={tenant} id={id} />;
    case 'scenarios':
      return <Scenarios tenant={tenant} />;
    case 'label-definitions':
      return <LabelDefinitions />;
    case 'assignments':
      return <Assignments />;
    case 'integration-systems':
      return <IntegrationSystems />;
    case 'application-templates':
      return <ApplicationTemplates tenant={tenant} />;
    default:
      return <NotFound />;
  }
}

export function Routes(props: { tenant: string; segments: readonly string[] }) {
  return (
    <Suspense fallback={<Loading />}>
      <Screen {...props} />
    </Suspense>
  );
}
