import { Bar } from '@ui5/webcomponents-react/Bar';
import { Button } from '@ui5/webcomponents-react/Button';
import { Dialog } from '@ui5/webcomponents-react/Dialog';
import { Form } from '@ui5/webcomponents-react/Form';
import { FormItem } from '@ui5/webcomponents-react/FormItem';
import { Input } from '@ui5/webcomponents-react/Input';
import { Label } from '@ui5/webcomponents-react/Label';
import { TextArea } from '@ui5/webcomponents-react/TextArea';
import { useState } from 'react';
import { useMutation } from 'urql';
import { ErrorStrip } from '../../components/states';
import {
  CreateApplicationTemplateDocument,
  RegisterApplicationFromTemplateDocument,
} from '../../generated/graphql';
import { href, navigate } from '../../router';

function Footer({
  action,
  busy,
  onSubmit,
  onClose,
}: {
  action: string;
  busy: boolean;
  onSubmit: () => void;
  onClose: () => void;
}) {
  return (
    <Bar
      design="Footer"
      endContent={
        <>
          <Button design="Emphasized" disabled={busy} onClick={onSubmit}>
            {action}
          </Button>
          <Button design="Transparent" onClick={onClose}>
            Cancel
          </Button>
        </>
      }
    />
  );
}

/** Registers an application from a template, with a value for each of its placeholders. */
export function FromTemplateDialog(props: {
  tenant: string;
  template: { name: string; placeholders: readonly { name: string; description?: string | null }[] };
  onClose: () => void;
}) {
  const [values, setValues] = useState<Record<string, string>>({});
  const [result, register] = useMutation(RegisterApplicationFromTemplateDocument);
  const submit = async () => {
    const res = await register({
      in: {
        templateName: props.template.name,
        values: props.template.placeholders.map((p) => ({
          placeholder: p.name,
          value: values[p.name] ?? '',
        })),
      },
    });
    if (res.data) navigate(href([props.tenant, 'applications', res.data.registerApplicationFromTemplate.id]));
  };
  return (
    <Dialog
      open
      headerText={`Register from ${props.template.name}`}
      className="form-dialog"
      onClose={props.onClose}
      footer={
        <Footer
          action="Register"
          busy={result.fetching}
          onSubmit={() => void submit()}
          onClose={props.onClose}
        />
      }
    >
      <ErrorStrip error={result.error} />
      <Form layout="S1 M1 L1 XL1" labelSpan="S12 M12 L12 XL12">
        {props.template.placeholders.map((p) => (
          <FormItem key={p.name} labelContent={<Label required>{p.name}</Label>}>
            <Input
              value={values[p.name] ?? ''}
              accessibleName={p.name}
              placeholder={p.description ?? ''}
              onInput={(e) => setValues({ ...values, [p.name]: e.target.value })}
            />
          </FormItem>
        ))}
      </Form>
    </Dialog>
  );
}

const EXAMPLE = JSON.stringify(
  { name: '{{name}}', providerName: 'ACME', description: 'Created from a template' },
  null,
  2,
);

/** Creates a template: the application input as JSON with `{{placeholder}}` references. */
export function CreateTemplateDialog({ onClose, onCreated }: { onClose: () => void; onCreated: () => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [input, setInput] = useState(EXAMPLE);
  const [placeholders, setPlaceholders] = useState('name');
  const [problem, setProblem] = useState<string>();
  const [result, create] = useMutation(CreateApplicationTemplateDocument);
  const submit = async () => {
    let applicationInput: { name: string };
    try {
      applicationInput = JSON.parse(input) as { name: string };
    } catch (e) {
      return setProblem(`Not valid JSON: ${(e as Error).message}`);
    }
    setProblem(undefined);
    const res = await create({
      in: {
        name: name.trim(),
        ...(description.trim() ? { description: description.trim() } : {}),
        applicationInput,
        placeholders: placeholders
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean)
          .map((p) => ({ name: p })),
        accessLevel: 'GLOBAL',
      },
    });
    if (!res.error) onCreated();
  };
  return (
    <Dialog
      open
      headerText="Create application template"
      className="form-dialog wide"
      onClose={onClose}
      footer={
        <Footer action="Create" busy={result.fetching} onSubmit={() => void submit()} onClose={onClose} />
      }
    >
      <ErrorStrip error={result.error} />
      <Form layout="S1 M1 L1 XL1" labelSpan="S12 M12 L12 XL12">
        <FormItem labelContent={<Label required>Template name</Label>}>
          <Input value={name} accessibleName="Template name" onInput={(e) => setName(e.target.value)} />
        </FormItem>
        <FormItem labelContent={<Label>Description</Label>}>
          <Input
            value={description}
            accessibleName="Template description"
            onInput={(e) => setDescription(e.target.value)}
          />
        </FormItem>
        <FormItem labelContent={<Label>Placeholders</Label>}>
          <Input
            value={placeholders}
            accessibleName="Placeholders"
            placeholder="comma-separated names"
            onInput={(e) => setPlaceholders(e.target.value)}
          />
        </FormItem>
        <FormItem labelContent={<Label required>Application input (JSON)</Label>}>
          <TextArea
            value={input}
            rows={8}
            className="mono"
            accessibleName="Application input"
            valueState={problem ? 'Negative' : 'None'}
            valueStateMessage={<div>{problem}</div>}
            onInput={(e) => setInput(e.target.value)}
          />
        </FormItem>
      </Form>
    </Dialog>
  );
}
