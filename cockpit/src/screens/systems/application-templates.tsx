import { Button } from '@ui5/webcomponents-react/Button';
import { Text } from '@ui5/webcomponents-react/Text';
import { useState } from 'react';
import { type CombinedError, useMutation, useQuery } from 'urql';
import { type Column, PAGE_SIZE, PagedTable } from '../../components/paged-table';
import { PageHeader } from '../../components/page-header';
import { ErrorStrip } from '../../components/states';
import {
  ApplicationTemplatesDocument,
  type ApplicationTemplatesQuery,
  DeleteApplicationTemplateDocument,
} from '../../generated/graphql';
import { useLocation } from '../../router';
import { CreateTemplateDialog, FromTemplateDialog } from './template-dialogs';

type Row = ApplicationTemplatesQuery['applicationTemplates']['data'][number];

/** Application templates (global): create, delete, and register an application from one. */
export default function ApplicationTemplates({ tenant }: { tenant: string }) {
  const location = useLocation();
  const [{ data, fetching, error }, refresh] = useQuery({
    query: ApplicationTemplatesDocument,
    variables: { first: PAGE_SIZE, after: location.query.get('after') },
  });
  const [, remove] = useMutation(DeleteApplicationTemplateDocument);
  const [creating, setCreating] = useState(false);
  const [using, setUsing] = useState<Row>();
  const [failure, setFailure] = useState<CombinedError>();
  const reload = () => refresh({ requestPolicy: 'network-only' });
  const columns: Column<Row>[] = [
    { header: 'Name', cell: (r) => <Text>{r.name}</Text> },
    { header: 'Description', cell: (r) => <Text>{r.description ?? '–'}</Text>, minWidth: 200 },
    {
      header: 'Placeholders',
      cell: (r) => <Text className="mono">{r.placeholders.map((p) => p.name).join(', ') || '–'}</Text>,
      minWidth: 160,
    },
    {
      header: 'Actions',
      width: '16rem',
      cell: (r) => (
        <>
          <Button design="Transparent" onClick={() => setUsing(r)}>
            Register application
          </Button>
          <Button
            design="Transparent"
            icon="delete"
            accessibleName={`Delete template ${r.name}`}
            onClick={async () => {
              const res = await remove({ id: r.id });
              setFailure(res.error);
              if (!res.error) reload();
            }}
          />
        </>
      ),
    },
  ];
  return (
    <section aria-label="Application templates">
      <PageHeader
        title="Application templates"
        subtitle="Blueprints for applications, shared by every tenant"
        actions={
          <Button design="Emphasized" icon="add" onClick={() => setCreating(true)}>
            Create template
          </Button>
        }
      />
      <ErrorStrip error={failure} onClose={() => setFailure(undefined)} />
      <PagedTable
        name="Application templates"
        rows={data?.applicationTemplates.data}
        columns={columns}
        rowKey={(r) => r.id}
        pageInfo={data?.applicationTemplates.pageInfo}
        totalCount={data?.applicationTemplates.totalCount}
        fetching={fetching}
        error={error}
        empty="No application templates."
      />
      {creating && (
        <CreateTemplateDialog
          onClose={() => setCreating(false)}
          onCreated={() => {
            setCreating(false);
            reload();
          }}
        />
      )}
      {using && <FromTemplateDialog tenant={tenant} template={using} onClose={() => setUsing(undefined)} />}
    </section>
  );
}
