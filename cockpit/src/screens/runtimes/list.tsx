import '@ui5/webcomponents-icons/dist/add.js';
import { Bar } from '@ui5/webcomponents-react/Bar';
import { Button } from '@ui5/webcomponents-react/Button';
import { Dialog } from '@ui5/webcomponents-react/Dialog';
import { Form } from '@ui5/webcomponents-react/Form';
import { FormItem } from '@ui5/webcomponents-react/FormItem';
import { Input } from '@ui5/webcomponents-react/Input';
import { Label } from '@ui5/webcomponents-react/Label';
import { Link } from '@ui5/webcomponents-react/Link';
import { Option } from '@ui5/webcomponents-react/Option';
import { Select } from '@ui5/webcomponents-react/Select';
import { TextArea } from '@ui5/webcomponents-react/TextArea';
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { LabelFilterInput, toLabelFilter } from '../../components/label-filter';
import { LabelTags, ScenarioTags } from '../../components/labels';
import { type Column, PAGE_SIZE, PagedTable } from '../../components/paged-table';
import { PageHeader } from '../../components/page-header';
import { ErrorStrip } from '../../components/states';
import { StatusTag } from '../../components/status';
import {
  RegisterRuntimeDocument,
  RuntimesDocument,
  type RuntimesQuery,
  type RuntimeHealthStatus,
} from '../../generated/graphql';
import { follow, href, navigate, useLocation, withQuery } from '../../router';
import { parseLabels } from '../applications/label-text';
import { HEALTH_STATUSES, HealthCell } from './health';

type Row = RuntimesQuery['runtimes']['data'][number];

function RegisterRuntimeDialog({ tenant, onClose }: { tenant: string; onClose: () => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [labels, setLabels] = useState('');
  const [problem, setProblem] = useState<string>();
  const [result, register] = useMutation(RegisterRuntimeDocument);
  const submit = async () => {
    const parsed = parseLabels(labels);
    if (typeof parsed === 'string') return setProblem(parsed);
    setProblem(undefined);
    const res = await register({
      in: {
        name: name.trim(),
        ...(description.trim() ? { description: description.trim() } : {}),
        ...(parsed ? { labels: parsed } : {}),
      },
    });
    if (res.data) navigate(href([tenant, 'runtimes', res.data.registerRuntime.id]));
  };
  return (
    <Dialog
      open
      headerText="Register runtime"
      className="form-dialog"
      onClose={onClose}
      footer={
        <Bar
          design="Footer"
          endContent={
            <>
              <Button design="Emphasized" disabled={result.fetching} onClick={() => void submit()}>
                Register
              </Button>
              <Button design="Transparent" onClick={onClose}>
                Cancel
              </Button>
            </>
          }
        />
      }
    >
      <ErrorStrip error={result.error} />
      <Form layout="S1 M1 L1 XL1" labelSpan="S12 M12 L12 XL12">
        <FormItem labelContent={<Label required>Name</Label>}>
          <Input
            value={name}
            accessibleName="Name"
            valueState={result.error ? 'Negative' : 'None'}
            onInput={(e) => setName(e.target.value)}
          />
        </FormItem>
        <FormItem labelContent={<Label>Description</Label>}>
          <Input
            value={description}
            accessibleName="Description"
            onInput={(e) => setDescription(e.target.value)}
          />
        </FormItem>
        <FormItem labelContent={<Label>Labels</Label>}>
          <TextArea
            value={labels}
            accessibleName="Labels"
            placeholder="one per line: key=value"
            valueState={problem ? 'Negative' : 'None'}
            valueStateMessage={<div>{problem}</div>}
            onInput={(e) => setLabels(e.target.value)}
          />
        </FormItem>
      </Form>
    </Dialog>
  );
}

/** The health filter of the list, kept in the URL (`?health=UNREACHABLE`). */
function HealthFilter({ value }: { value: RuntimeHealthStatus | undefined }) {
  const location = useLocation();
  return (
    <Select
      accessibleName="Health"
      className="health-filter"
      onChange={(e) => {
        const next = e.detail.selectedOption.dataset.value;
        navigate(withQuery(location, { health: next || undefined, after: undefined }));
      }}
    >
      <Option data-value="" selected={!value}>
        Any health
      </Option>
      {HEALTH_STATUSES.map((s) => (
        <Option key={s} data-value={s} selected={value === s}>
          {s}
        </Option>
      ))}
    </Select>
  );
}

/**
 * Runtimes of the tenant with status, health (badge and last heartbeat), scenarios and
 * labels; paged, filterable by label and by health.
 */
export default function RuntimesList({ tenant }: { tenant: string }) {
  const location = useLocation();
  const [registering, setRegistering] = useState(false);
  const filter = toLabelFilter(location.query.get('label'));
  const health = HEALTH_STATUSES.find((s) => s === location.query.get('health'));
  const [{ data, fetching, error }] = useQuery({
    query: RuntimesDocument,
    variables: {
      first: PAGE_SIZE,
      after: location.query.get('after'),
      filter,
      ...(health ? { health: [health] } : {}),
    },
  });
  const detail = (r: Row) => href([tenant, 'runtimes', r.id]);
  const columns: Column<Row>[] = [
    {
      header: 'Name',
      cell: (r) => (
        <Link href={detail(r)} onClick={follow(detail(r))}>
          {r.name}
        </Link>
      ),
    },
    { header: 'Status', cell: (r) => <StatusTag condition={r.status.condition} />, width: '9rem' },
    { header: 'Health', cell: (r) => <HealthCell health={r.health} />, width: '14rem', minWidth: 120 },
    { header: 'Scenarios', cell: (r) => <ScenarioTags labels={r.labels} />, minWidth: 160 },
    { header: 'Labels', cell: (r) => <LabelTags labels={r.labels} />, minWidth: 200 },
  ];
  return (
    <section aria-label="Runtimes">
      <PageHeader
        title="Runtimes"
        subtitle="Clusters that consume applications"
        actions={
          <>
            <Button
              design="Emphasized"
              icon="add"
              onClick={() => navigate(href([tenant, 'runtimes', 'provision']))}
            >
              Provision runtime
            </Button>
            <Button onClick={() => setRegistering(true)}>Register runtime</Button>
          </>
        }
      />
      <div className="toolbar">
        <LabelFilterInput />
        <HealthFilter value={health} />
      </div>
      <PagedTable
        name="Runtimes"
        rows={data?.runtimes.data}
        columns={columns}
        rowKey={(r) => r.id}
        rowHref={detail}
        pageInfo={data?.runtimes.pageInfo}
        totalCount={data?.runtimes.totalCount}
        fetching={fetching}
        error={error}
        empty={filter || health ? 'No runtime matches this filter.' : 'No runtimes yet.'}
      />
      {registering && <RegisterRuntimeDialog tenant={tenant} onClose={() => setRegistering(false)} />}
    </section>
  );
}
