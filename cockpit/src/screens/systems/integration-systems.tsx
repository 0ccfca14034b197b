import { Bar } from '@ui5/webcomponents-react/Bar';
import { Button } from '@ui5/webcomponents-react/Button';
import { Input } from '@ui5/webcomponents-react/Input';
import { Text } from '@ui5/webcomponents-react/Text';
import { useState } from 'react';
import { type CombinedError, useMutation, useQuery } from 'urql';
import { type Column, PAGE_SIZE, PagedTable } from '../../components/paged-table';
import { PageHeader } from '../../components/page-header';
import { ErrorStrip } from '../../components/states';
import {
  IntegrationSystemsDocument,
  type IntegrationSystemsQuery,
  RegisterIntegrationSystemDocument,
  UnregisterIntegrationSystemDocument,
} from '../../generated/graphql';
import { useLocation } from '../../router';

type Row = IntegrationSystemsQuery['integrationSystems']['data'][number];

/** Integration systems (global): register by name, unregister. */
export default function IntegrationSystems() {
  const location = useLocation();
  const [{ data, fetching, error }, refresh] = useQuery({
    query: IntegrationSystemsDocument,
    variables: { first: PAGE_SIZE, after: location.query.get('after') },
  });
  const [, register] = useMutation(RegisterIntegrationSystemDocument);
  const [, unregister] = useMutation(UnregisterIntegrationSystemDocument);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [failure, setFailure] = useState<CombinedError>();
  const done = (res: { error?: CombinedError | undefined }) => {
    setFailure(res.error);
    if (!res.error) refresh({ requestPolicy: 'network-only' });
    return !res.error;
  };
  const columns: Column<Row>[] = [
    { header: 'Name', cell: (r) => <Text>{r.name}</Text> },
    { header: 'Description', cell: (r) => <Text>{r.description ?? '–'}</Text>, minWidth: 200 },
    { header: 'ID', cell: (r) => <Text className="mono small">{r.id}</Text>, minWidth: 260 },
    {
      header: 'Actions',
      width: '8rem',
      cell: (r) => (
        <Button
          design="Transparent"
          icon="delete"
          accessibleName={`Unregister ${r.name}`}
          onClick={async () => done(await unregister({ id: r.id }))}
        />
      ),
    },
  ];
  return (
    <section aria-label="Integration systems">
      <PageHeader
        title="Integration systems"
        subtitle="External systems that manage applications and runtimes for tenants"
      />
      <ErrorStrip error={failure} onClose={() => setFailure(undefined)} />
      <Bar
        design="Subheader"
        startContent={
          <>
            <Input
              value={name}
              placeholder="name"
              accessibleName="Integration system name"
              onInput={(e) => setName(e.target.value)}
            />
            <Input
              value={description}
              placeholder="description"
              accessibleName="Integration system description"
              onInput={(e) => setDescription(e.target.value)}
            />
            <Button
              design="Emphasized"
              onClick={async () => {
                const ok = done(
                  await register({
                    in: {
                      name: name.trim(),
                      ...(description.trim() ? { description: description.trim() } : {}),
                    },
                  }),
                );
                if (ok) {
                  setName('');
                  setDescription('');
                }
              }}
            >
              Register integration system
            </Button>
          </>
        }
      />
      <PagedTable
        name="Integration systems"
        rows={data?.integrationSystems.data}
        columns={columns}
        rowKey={(r) => r.id}
        pageInfo={data?.integrationSystems.pageInfo}
        totalCount={data?.integrationSystems.totalCount}
        fetching={fetching}
        error={error}
        empty="No integration systems."
      />
    </section>
  );
}
