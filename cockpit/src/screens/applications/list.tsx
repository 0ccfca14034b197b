import '@ui5/webcomponents-icons/dist/add.js';
import { Button } from '@ui5/webcomponents-react/Button';
import { Link } from '@ui5/webcomponents-react/Link';
import { Text } from '@ui5/webcomponents-react/Text';
import { lazy, Suspense, useState } from 'react';
import { useQuery } from 'urql';
import { toLabelFilter, LabelFilterInput } from '../../components/label-filter';
import { LabelTags, ScenarioTags } from '../../components/labels';
import { type Column, PAGE_SIZE, PagedTable } from '../../components/paged-table';
import { PageHeader } from '../../components/page-header';
import { StatusTag } from '../../components/status';
import { ApplicationsDocument, type ApplicationsQuery } from '../../generated/graphql';
import { follow, href, useLocation } from '../../router';

const RegisterDialog = lazy(() => import('./register'));

type Row = ApplicationsQuery['applications']['data'][number];

/** Applications of the tenant: status, labels and scenarios, paged and filterable by label. */
export function ApplicationsList({ tenant }: { tenant: string }) {
  const location = useLocation();
  const [registering, setRegistering] = useState(false);
  const filter = toLabelFilter(location.query.get('label'));
  const [{ data, fetching, error }] = useQuery({
    query: ApplicationsDocument,
    variables: { first: PAGE_SIZE, after: location.query.get('after'), filter },
  });
  const detail = (row: Row) => href([tenant, 'applications', row.id]);
  const columns: Column<Row>[] = [
    {
      header: 'Name',
      cell: (r) => (
        <Link href={detail(r)} onClick={follow(detail(r))}>
          {r.name}
        </Link>
      ),
    },
    { header: 'Provider', cell: (r) => <Text>{r.providerName ?? '–'}</Text>, minWidth: 120 },
    { header: 'Status', cell: (r) => <StatusTag condition={r.status.condition} />, width: '9rem' },
    { header: 'Scenarios', cell: (r) => <ScenarioTags labels={r.labels} />, minWidth: 160 },
    { header: 'Labels', cell: (r) => <LabelTags labels={r.labels} />, minWidth: 200 },
  ];
  return (
    <section aria-label="Applications">
      <PageHeader
        title="Applications"
        subtitle="Systems connected to this tenant"
        actions={
          <>
            <Button design="Transparent" onClick={follow(href([tenant, 'application-templates']))}>
              Register from template
            </Button>
            <Button design="Emphasized" icon="add" onClick={() => setRegistering(true)}>
              Register application
            </Button>
          </>
        }
      />
      <div className="toolbar">
        <LabelFilterInput />
      </div>
      <PagedTable
        name="Applications"
        rows={data?.applications.data}
        columns={columns}
        rowKey={(r) => r.id}
        rowHref={detail}
        pageInfo={data?.applications.pageInfo}
        totalCount={data?.applications.totalCount}
        fetching={fetching}
        error={error}
        empty={filter ? 'No application matches this filter.' : 'No applications yet: register one.'}
      />
      {registering && (
        <Suspense fallback={null}>
          <RegisterDialog tenant={tenant} onClose={() => setRegistering(false)} />
        </Suspense>
      )}
    </section>
  );
}
