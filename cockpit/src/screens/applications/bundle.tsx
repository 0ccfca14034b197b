import { Button } from '@ui5/webcomponents-react/Button';
import { lazy, Suspense, useState } from 'react';
import { type CombinedError, useMutation, useQuery } from 'urql';
import { ConfirmDialog } from '../../components/confirm';
import { PageHeader } from '../../components/page-header';
import { ErrorStrip, Loading } from '../../components/states';
import {
  AddApiDefinitionToBundleDocument,
  AddDocumentToBundleDocument,
  AddEventDefinitionToBundleDocument,
  BundleDocument,
  DeleteApiDefinitionDocument,
  DeleteBundleDocument,
  DeleteDocumentDocument,
  DeleteEventDefinitionDocument,
  RefetchApiSpecDocument,
  RefetchEventDefinitionSpecDocument,
} from '../../generated/graphql';
import { href, navigate } from '../../router';
import { NotFound } from '../not-found';
import { AddDefinitionDialog, AddDocumentDialog, ContentTable } from './bundle-parts';
import { CredentialRequests } from './credential-requests';
import { toApiInput, toEventInput } from './definition-form';
import type { SpecTarget } from './spec-viewer';

const SpecViewer = lazy(() => import('./spec-viewer'));

type Adding = 'api' | 'event' | 'document' | undefined;

/**
 * A bundle: its API and event definitions (specs, fetch status, refetch), documents and
 * credential requests.
 */
export default function BundleDetails({
  tenant,
  applicationId,
  bundleId,
}: {
  tenant: string;
  applicationId: string;
  bundleId: string;
}) {
  const [{ data, fetching, error }, refresh] = useQuery({
    query: BundleDocument,
    variables: { applicationID: applicationId, bundleID: bundleId },
  });
  const [viewing, setViewing] = useState<SpecTarget>();
  const [adding, setAdding] = useState<Adding>();
  const [confirming, setConfirming] = useState(false);
  const [, addApi] = useMutation(AddApiDefinitionToBundleDocument);
  const [, addEvent] = useMutation(AddEventDefinitionToBundleDocument);
  const [, addDocument] = useMutation(AddDocumentToBundleDocument);
  const [, deleteApi] = useMutation(DeleteApiDefinitionDocument);
  const [, deleteEvent] = useMutation(DeleteEventDefinitionDocument);
  const [, deleteDocument] = useMutation(DeleteDocumentDocument);
  const [, refetchApi] = useMutation(RefetchApiSpecDocument);
  const [, refetchEvent] = useMutation(RefetchEventDefinitionSpecDocument);
  const [deleting, deleteBundle] = useMutation(DeleteBundleDocument);
  const app = data?.application;
  const bundle = app?.bundle;
  if (!bundle || !app) {
    if (fetching) return <Loading />;
    return error ? <ErrorStrip error={error} /> : <NotFound what="This bundle" />;
  }
  const appHref = href([tenant, 'applications', app.id]);
  const after = async (p: Promise<{ error?: CombinedError | undefined }>) => {
    const res = await p;
    if (!res.error) refresh({ requestPolicy: 'network-only' });
    return res.error;
  };
  return (
    <section aria-label={`Bundle ${bundle.name}`}>
      <PageHeader
        title={bundle.name}
        subtitle={bundle.description}
        crumbs={[
          { text: 'Applications', href: href([tenant, 'applications']) },
          { text: app.name, href: appHref },
        ]}
        actions={
          <Button design="Negative" onClick={() => setConfirming(true)}>
            Delete bundle
          </Button>
        }
      />
      <ErrorStrip error={deleting.error} />
      <ContentTable
        name="API definitions"
        empty="No API definitions."
        rows={(bundle.apiDefinitions?.data ?? []).map((a) => ({
          id: a.id,
          name: a.version ? `${a.name} ${a.version.value}` : a.name,
          kind: a.spec ? `${a.spec.type} · ${a.spec.format}` : '–',
          detail: a.targetURL,
          fetchRequest: a.spec?.fetchRequest,
        }))}
        onView={(id) => setViewing({ kind: 'api', id })}
        onRefetch={(id) => after(refetchApi({ apiID: id }))}
        onDelete={(id) => after(deleteApi({ id }))}
        actions={<Button onClick={() => setAdding('api')}>Add API definition</Button>}
      />
      <ContentTable
        name="Event definitions"
        empty="No event definitions."
        rows={(bundle.eventDefinitions?.data ?? []).map((e) => ({
          id: e.id,
          name: e.version ? `${e.name} ${e.version.value}` : e.name,
          kind: e.spec ? `${e.spec.type} · ${e.spec.format}` : '–',
          detail: e.group,
          fetchRequest: e.spec?.fetchRequest,
        }))}
        onView={(id) => setViewing({ kind: 'event', id })}
        onRefetch={(id) => after(refetchEvent({ eventID: id }))}
        onDelete={(id) => after(deleteEvent({ id }))}
        actions={<Button onClick={() => setAdding('event')}>Add event definition</Button>}
      />
      <ContentTable
        name="Documents"
        empty="No documents."
        rows={(bundle.documents?.data ?? []).map((d) => ({
          id: d.id,
          name: d.displayName,
          kind: d.kind ? `${d.format} · ${d.kind}` : d.format,
          detail: d.description,
          fetchRequest: d.fetchRequest,
        }))}
        onView={(id) => setViewing({ kind: 'document', id })}
        onDelete={(id) => after(deleteDocument({ id }))}
        actions={<Button onClick={() => setAdding('document')}>Add document</Button>}
      />
      <CredentialRequests tenant={tenant} applicationId={app.id} bundleId={bundle.id} />
      {viewing && (
        <Suspense fallback={null}>
          <SpecViewer
            applicationId={app.id}
            bundleId={bundle.id}
            target={viewing}
            onClose={() => setViewing(undefined)}
          />
        </Suspense>
      )}
      {(adding === 'api' || adding === 'event') && (
        <AddDefinitionDialog
          kind={adding}
          onClose={() => setAdding(undefined)}
          onSubmit={(d) =>
            adding === 'api'
              ? after(addApi({ bundleID: bundle.id, in: toApiInput(d) }))
              : after(addEvent({ bundleID: bundle.id, in: toEventInput(d) }))
          }
        />
      )}
      {adding === 'document' && (
        <AddDocumentDialog
          onClose={() => setAdding(undefined)}
          onSubmit={(d) =>
            after(
              addDocument({
                bundleID: bundle.id,
                in: {
                  title: d.title,
                  displayName: d.displayName,
                  description: d.description,
                  format: 'MARKDOWN',
                  ...(d.kind ? { kind: d.kind } : {}),
                  ...(d.data ? { data: d.data } : {}),
                },
              }),
            )
          }
        />
      )}
      <ConfirmDialog
        open={confirming}
        title={`Delete bundle ${bundle.name}?`}
        text="Its API and event definitions and documents are deleted with it."
        action="Delete"
        busy={deleting.fetching}
        onCancel={() => setConfirming(false)}
        onConfirm={async () => {
          const res = await deleteBundle({ id: bundle.id });
          setConfirming(false);
          if (!res.error) navigate(appHref);
        }}
      />
    </section>
  );
}
