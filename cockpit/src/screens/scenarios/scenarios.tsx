import { Bar } from '@ui5/webcomponents-react/Bar';
import { Button } from '@ui5/webcomponents-react/Button';
import { Input } from '@ui5/webcomponents-react/Input';
import { Link } from '@ui5/webcomponents-react/Link';
import { Table } from '@ui5/webcomponents-react/Table';
import { TableCell } from '@ui5/webcomponents-react/TableCell';
import { TableHeaderCell } from '@ui5/webcomponents-react/TableHeaderCell';
import { TableHeaderRow } from '@ui5/webcomponents-react/TableHeaderRow';
import { TableRow } from '@ui5/webcomponents-react/TableRow';
import { Text } from '@ui5/webcomponents-react/Text';
import { useState } from 'react';
import { type CombinedError, useMutation, useQuery } from 'urql';
import { PageHeader } from '../../components/page-header';
import { ErrorStrip } from '../../components/states';
import { LabelDefinitionsDocument, UpdateLabelDefinitionDocument } from '../../generated/graphql';
import { follow, href } from '../../router';
import { AssignDialog } from './assign-dialog';
import { scenarioNames, withScenarios } from './scenario-schema';

/** The tenant's scenarios (the `scenarios` label definition): add, remove, assign. */
export default function Scenarios({ tenant }: { tenant: string }) {
  const [{ data, fetching, error }, refresh] = useQuery({ query: LabelDefinitionsDocument });
  const [, update] = useMutation(UpdateLabelDefinitionDocument);
  const [name, setName] = useState('');
  const [failure, setFailure] = useState<CombinedError>();
  const [assigning, setAssigning] = useState<string>();
  const schema = data?.labelDefinitions.find((d) => d.key === 'scenarios')?.schema;
  const names = scenarioNames(schema);
  const save = async (next: string[]) => {
    const res = await update({ in: { key: 'scenarios', schema: withScenarios(schema, next) } });
    setFailure(res.error);
    if (!res.error) refresh({ requestPolicy: 'network-only' });
    return !res.error;
  };
  const add = async () => {
    const trimmed = name.trim();
    if (trimmed && (await save([...names, trimmed]))) setName('');
  };
  return (
    <section aria-label="Scenarios">
      <PageHeader title="Scenarios" subtitle="Applications and runtimes sharing a scenario see each other" />
      <ErrorStrip error={error ?? failure} onClose={() => setFailure(undefined)} />
      <Bar
        design="Subheader"
        startContent={
          <>
            <Input
              value={name}
              placeholder="New scenario, e.g. PRODUCTION"
              accessibleName="New scenario"
              onInput={(e) => setName(e.target.value)}
              onKeyDown={(e) => e.key === 'Enter' && void add()}
            />
            <Button design="Emphasized" onClick={() => void add()}>
              Add scenario
            </Button>
          </>
        }
      />
      <Table
        accessibleName="Scenarios"
        loading={fetching && !data}
        noData={<Text className="no-data">No scenarios.</Text>}
        headerRow={
          <TableHeaderRow>
            <TableHeaderCell>Scenario</TableHeaderCell>
            <TableHeaderCell minWidth="160px">Members</TableHeaderCell>
            <TableHeaderCell width="12rem">
              <span className="sr-only">Actions</span>
            </TableHeaderCell>
          </TableHeaderRow>
        }
      >
        {names.map((n) => {
          const filter = { label: `scenarios=${n}` };
          return (
            <TableRow key={n} rowKey={n}>
              <TableCell>
                <Text>{n}</Text>
              </TableCell>
              <TableCell>
                <span className="tags">
                  <Link
                    href={href([tenant, 'applications'], filter)}
                    onClick={follow(href([tenant, 'applications'], filter))}
                  >
                    Applications
                  </Link>
                  <Link
                    href={href([tenant, 'runtimes'], filter)}
                    onClick={follow(href([tenant, 'runtimes'], filter))}
                  >
                    Runtimes
                  </Link>
                </span>
              </TableCell>
              <TableCell>
                <Button design="Transparent" onClick={() => setAssigning(n)}>
                  Assign
                </Button>
                {n !== 'DEFAULT' && (
                  <Button
                    design="Transparent"
                    icon="delete"
                    accessibleName={`Remove scenario ${n}`}
                    onClick={() => void save(names.filter((x) => x !== n))}
                  />
                )}
              </TableCell>
            </TableRow>
          );
        })}
      </Table>
      {assigning && <AssignDialog scenario={assigning} onClose={() => setAssigning(undefined)} />}
    </section>
  );
}
