import { Button } from '@ui5/webcomponents-react/Button';
import { CheckBox } from '@ui5/webcomponents-react/CheckBox';
import { Form } from '@ui5/webcomponents-react/Form';
import { FormGroup } from '@ui5/webcomponents-react/FormGroup';
import { FormItem } from '@ui5/webcomponents-react/FormItem';
import { Input } from '@ui5/webcomponents-react/Input';
import { Label } from '@ui5/webcomponents-react/Label';
import { MessageStrip } from '@ui5/webcomponents-react/MessageStrip';
import { Option } from '@ui5/webcomponents-react/Option';
import { Select } from '@ui5/webcomponents-react/Select';
import { Text } from '@ui5/webcomponents-react/Text';
import { TextArea } from '@ui5/webcomponents-react/TextArea';
import { useMemo, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { PageHeader } from '../../components/page-header';
import { ErrorStrip, Loading } from '../../components/states';
import { ProvisionRuntimeDocument, ProvidersDocument } from '../../generated/provisioner';
import { ProvisionerScope } from '../../provisioner-client';
import { href, navigate } from '../../router';
import { parseLabels } from '../applications/label-text';
import {
  type ConfigField,
  type ConfigValues,
  configFields,
  fieldHint,
  fieldProblem,
  toProviderConfig,
} from './config-schema';

/** One field of the provider's config, as its schema describes it. */
function ConfigInput({
  field: f,
  value,
  shown,
  onChange,
}: {
  field: ConfigField;
  value: string | boolean | undefined;
  /** Show the problem (after a first submit, or once the field was edited). */
  shown: boolean;
  onChange: (value: string | boolean) => void;
}) {
  const problem = shown ? fieldProblem(f, value) : undefined;
  const hint = fieldHint(f);
  const state = problem ? 'Negative' : 'None';
  const message = <div>{problem}</div>;
  const text = typeof value === 'string' ? value : '';
  let input;
  if (f.kind === 'boolean') {
    input = (
      <CheckBox
        accessibleName={f.label}
        text={f.label}
        checked={typeof value === 'boolean' ? value : (f.default ?? false)}
        onChange={(e) => onChange(e.target.checked)}
      />
    );
  } else if (f.kind === 'string' && f.options) {
    input = (
      <Select
        accessibleName={f.label}
        onChange={(e) => onChange(e.detail.selectedOption.dataset.value ?? '')}
      >
        {!f.required && (
          <Option data-value="" selected={!text}>
            (provider default)
          </Option>
        )}
        {f.options.map((o) => (
          <Option key={o} data-value={o} selected={text === o}>
            {o}
          </Option>
        ))}
      </Select>
    );
  } else if (f.kind === 'json') {
    input = (
      <TextArea
        value={text}
        accessibleName={f.label}
        valueState={state}
        valueStateMessage={message}
        onInput={(e) => onChange(e.target.value)}
      />
    );
  } else {
    const placeholder = f.default !== undefined ? `default ${f.default}` : 'provider default';
    input = (
      <Input
        value={text}
        type={f.kind === 'number' ? 'Number' : 'Text'}
        accessibleName={f.label}
        required={f.required}
        placeholder={placeholder}
        valueState={state}
        valueStateMessage={message}
        onInput={(e) => onChange(e.target.value)}
      />
    );
  }
  return (
    <FormItem labelContent={<Label required={f.required}>{f.label}</Label>}>
      <div className="config-field" data-field={f.name}>
        {input}
        {hint && <Text className="small muted">{hint}</Text>}
      </div>
    </FormItem>
  );
}

/**
 * Provisions a runtime: the runtime (name, description, labels), the provider-neutral cluster
 * config (provider, region, administrators) and a form built from the chosen provider's config
 * schema, which the `providers` query returns. Submitting opens the operation's live timeline.
 */
function ProvisionForm({ tenant }: { tenant: string }) {
  const [{ data, fetching, error }] = useQuery({ query: ProvidersDocument });
  const providers = useMemo(
    () => (data?.providers ?? []).filter((p) => p.operations.includes('Provision')),
    [data],
  );
  const [providerName, setProviderName] = useState<string>();
  const provider = providers.find((p) => p.name === providerName) ?? providers[0];
  const fields = useMemo(() => configFields(provider?.configSchema), [provider]);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [labels, setLabels] = useState('');
  const [region, setRegion] = useState('');
  const [administrators, setAdministrators] = useState('');
  const [values, setValues] = useState<ConfigValues>({});
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [labelsProblem, setLabelsProblem] = useState<string>();
  const [result, provision] = useMutation(ProvisionRuntimeDocument);

  if (!data) return fetching ? <Loading /> : <ErrorStrip error={error} />;
  if (!provider)
    return (
      <MessageStrip design="Critical" hideCloseButton className="strip">
        The Provisioner knows no provider that can provision a runtime.
      </MessageStrip>
    );

  const submit = async () => {
    setSubmitted(true);
    const parsed = parseLabels(labels);
    setLabelsProblem(typeof parsed === 'string' ? parsed : undefined);
    const specific = toProviderConfig(fields, values);
    if (typeof parsed === 'string' || 'problems' in specific || !name.trim()) return;
    const admins = administrators
      .split(/[\s,]+/)
      .map((a) => a.trim())
      .filter(Boolean);
    const res = await provision({
      config: {
        runtimeInput: {
          name: name.trim(),
          ...(description.trim() ? { description: description.trim() } : {}),
          ...(parsed ? { labels: parsed } : {}),
        },
        clusterConfig: {
          provider: provider.name,
          ...(region.trim() ? { region: region.trim() } : {}),
          ...(admins.length ? { administrators: admins } : {}),
          providerSpecificConfig: specific.config,
        },
      },
    });
    const op = res.data?.provisionRuntime;
    if (op?.id && op.runtimeID) navigate(href([tenant, 'runtimes', op.runtimeID, 'operations', op.id]));
  };

  return (
    <>
      <ErrorStrip error={result.error} />
      <Form
        className="provision-form"
        layout="S1 M2 L2 XL2"
        labelSpan="S12 M12 L12 XL12"
        aria-label="Provision runtime"
      >
        <FormGroup headerText="Runtime">
          <FormItem labelContent={<Label required>Name</Label>}>
            <Input
              value={name}
              required
              accessibleName="Name"
              placeholder="lowercase letters, digits, '-' and '.'"
              valueState={submitted && !name.trim() ? 'Negative' : 'None'}
              valueStateMessage={<div>Required</div>}
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
              placeholder={'one per line: key=value (JSON values allowed)\nscenarios=["DEFAULT"]'}
              valueState={labelsProblem ? 'Negative' : 'None'}
              valueStateMessage={<div>{labelsProblem}</div>}
              onInput={(e) => setLabels(e.target.value)}
            />
          </FormItem>
        </FormGroup>
        <FormGroup headerText="Cluster">
          <FormItem labelContent={<Label required>Provider</Label>}>
            <Select
              accessibleName="Provider"
              onChange={(e) => {
                setProviderName(e.detail.selectedOption.dataset.value);
                setValues({});
                setTouched(new Set());
              }}
            >
              {providers.map((p) => (
                <Option key={p.name} data-value={p.name} selected={p.name === provider.name}>
                  {p.name}
                </Option>
              ))}
            </Select>
          </FormItem>
          <FormItem labelContent={<Label>Region</Label>}>
            <Input value={region} accessibleName="Region" onInput={(e) => setRegion(e.target.value)} />
          </FormItem>
          <FormItem labelContent={<Label>Administrators</Label>}>
            <Input
              value={administrators}
              accessibleName="Administrators"
              placeholder="e-mail addresses, comma separated"
              onInput={(e) => setAdministrators(e.target.value)}
            />
          </FormItem>
        </FormGroup>
        <FormGroup headerText={`${provider.name} provider settings`}>
          {fields.length === 0 && (
            <FormItem>
              <Text className="muted">This provider takes no settings.</Text>
            </FormItem>
          )}
          {fields.map((f) => (
            <ConfigInput
              key={`${provider.name}.${f.name}`}
              field={f}
              value={values[f.name]}
              shown={submitted || touched.has(f.name)}
              onChange={(v) => {
                setValues((old) => ({ ...old, [f.name]: v }));
                setTouched((old) => new Set(old).add(f.name));
              }}
            />
          ))}
        </FormGroup>
      </Form>
      <div className="form-actions">
        <Button design="Emphasized" disabled={result.fetching} onClick={() => void submit()}>
          Provision
        </Button>
        <Button design="Transparent" onClick={() => navigate(href([tenant, 'runtimes']))}>
          Cancel
        </Button>
      </div>
    </>
  );
}

export default function ProvisionRuntime({ tenant }: { tenant: string }) {
  return (
    <section aria-label="Provision runtime">
      <PageHeader
        title="Provision runtime"
        subtitle="Creates a cluster with a provider, installs the Runtime Agent and waits until it connects"
        crumbs={[{ text: 'Runtimes', href: href([tenant, 'runtimes']) }]}
      />
      <ProvisionerScope>
        <ProvisionForm tenant={tenant} />
      </ProvisionerScope>
    </section>
  );
}
