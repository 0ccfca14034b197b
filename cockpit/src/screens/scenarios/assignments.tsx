import { Bar } from '@ui5/webcomponents-react/Bar';
import { Button } from '@ui5/webcomponents-react/Button';
import { Input } from '@ui5/webcomponents-react/Input';
import { Option } from '@ui5/webcomponents-react/Option';
import { Select } from '@ui5/webcomponents-react/Select';
import { Text } from '@ui5/webcomponents-react/Text';
import { useState } from 'react';
import { type CombinedError, useMutation, useQuery } from 'urql';
import { type Column, PAGE_SIZE, PagedTable } from '../../components/paged-table';
import { PageHeader } from '../../components/page-header';
import { ErrorStrip } from '../../components/states';
import {
  AutomaticScenarioAssignmentsDocument,
  type AutomaticScenarioAssignmentsQuery,
  CreateAutomaticScenarioAssignmentDocument,
  DeleteAutomaticScenarioAssignmentForScenarioDocument,
  LabelDefinitionsDocument,
} from '../../generated/graphql';
import { useLocation } from '../../router';
import { scenarioNames } from './scenario-schema';

type Row = AutomaticScenarioAssignmentsQuery['automaticScenarioAssignments']['data'][number];

/** Automatic scenario assignments: runtimes whose label matches the selector get the scenario. */
export default function Assignments() {
  const location = useLocation();
  const [{ data, fetching, error }, refresh] = useQuery({
    query: AutomaticScenarioAssignmentsDocument,
    variables: { first: PAGE_SIZE, after: location.query.get('after') },
  });
  const [definitions] = useQuery({ query: LabelDefinitionsDocument });
  const [, create] = useMutation(CreateAutomaticScenarioAssignmentDocument);
  const [, remove] = useMutation(DeleteAutomaticScenarioAssignmentForScenarioDocument);
  const [scenario, setScenario] = useState('');
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [failure, setFailure] = useState<CombinedError>();
  const names = scenarioNames(definitions.data?.labelDefinitions.find((d) => d.key === 'scenarios')?.schema);
  const chosen = scenario || names[0] || '';
  const done = (res: { error?: CombinedError | undefined }) => {
    setFailure(res.error);
    if (!res.error) refresh({ requestPolicy: 'network-only' });
  };
  const columns: Column<Row>[] = [
    { header: 'Scenario', cell: (r) => <Text>{r.scenarioName}</Text> },
    {
      header: 'Runtimes with label',
      cell: (r) => <Text className="mono">{`${r.selector.key}=${String(r.selector.value)}`}</Text>,
    },
    {
      header: 'Actions',
      width: '8rem',
      cell: (r) => (
        <Button
          design="Transparent"
          icon="delete"
          accessibleName={`Delete assignment of ${r.scenarioName}`}
          onClick={async () => done(await remove({ scenarioName: r.scenarioName }))}
        />
      ),
    },
  ];
  return (
    <section aria-label="Automatic scenario assignments">
      <PageHeader
        title="Automatic scenario assignments"
        subtitle="Runtimes with a matching label join the scenario"
      />
      <ErrorStrip error={failure} onClose={() => setFailure(undefined)} />
      <Bar
        design="Subheader"
        startContent={
          <>
            <Select
              accessibleName="Scenario"
              onChange={(e) => setScenario(e.detail.selectedOption.textContent ?? '')}
            >
              {names.map((n) => (
                <Option key={n} selected={n === chosen}>
                  {n}
                </Option>
              ))}
            </Select>
            <Input
              value={key}
              placeholder="label key"
              accessibleName="Selector key"
              onInput={(e) => setKey(e.target.value)}
            />
            <Input
              value={value}
              placeholder="label value"
              accessibleName="Selector value"
              onInput={(e) => setValue(e.target.value)}
            />
            <Button
              design="Emphasized"
              onClick={async () =>
                done(
                  await create({
                    in: { scenarioName: chosen, selector: { key: key.trim(), value: value.trim() } },
                  }),
                )
              }
            >
              Create assignment
            </Button>
          </>
        }
      />
      <PagedTable
        name="Automatic scenario assignments"
        rows={data?.automaticScenarioAssignments.data}
        columns={columns}
        rowKey={(r) => r.scenarioName}
        pageInfo={data?.automaticScenarioAssignments.pageInfo}
        totalCount={data?.automaticScenarioAssignments.totalCount}
        fetching={fetching}
        error={error}
        empty="No automatic scenario assignments."
      />
    </section>
  );
}
