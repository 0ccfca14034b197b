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
import { ErrorCode, errorCode } from '../../errors';
import { RegisterApplicationDocument } from '../../generated/graphql';
import { href, navigate } from '../../router';
import { parseLabels } from './label-text';

/** Registers an application; the API validates, and its message is shown next to the form. */
export default function RegisterDialog({ tenant, onClose }: { tenant: string; onClose: () => void }) {
  const [name, setName] = useState('');
  const [providerName, setProviderName] = useState('');
  const [description, setDescription] = useState('');
  const [baseUrl, setBaseUrl] = useState('');
  const [labels, setLabels] = useState('');
  const [labelsProblem, setLabelsProblem] = useState<string>();
  const [result, register] = useMutation(RegisterApplicationDocument);
  const code = errorCode(result.error);
  const submit = async () => {
    const parsed = parseLabels(labels);
    if (typeof parsed === 'string') return setLabelsProblem(parsed);
    setLabelsProblem(undefined);
    const res = await register({
      in: {
        name: name.trim(),
        ...(providerName.trim() ? { providerName: providerName.trim() } : {}),
        ...(description.trim() ? { description: description.trim() } : {}),
        ...(baseUrl.trim() ? { baseUrl: baseUrl.trim() } : {}),
        ...(parsed ? { labels: parsed } : {}),
      },
    });
    if (res.data) navigate(href([tenant, 'applications', res.data.registerApplication.id]));
  };
  const nameState = code === ErrorCode.NotUnique || code === ErrorCode.InvalidData ? 'Negative' : 'None';
  return (
    <Dialog
      open
      headerText="Register application"
      onClose={onClose}
      className="form-dialog"
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
            required
            accessibleName="Name"
            valueState={nameState}
            placeholder="lowercase letters, digits, '-' and '.'"
            onInput={(e) => setName(e.target.value)}
          />
        </FormItem>
        <FormItem labelContent={<Label>Provider</Label>}>
          <Input
            value={providerName}
            accessibleName="Provider"
            onInput={(e) => setProviderName(e.target.value)}
          />
        </FormItem>
        <FormItem labelContent={<Label>Description</Label>}>
          <TextArea
            value={description}
            accessibleName="Description"
            onInput={(e) => setDescription(e.target.value)}
          />
        </FormItem>
        <FormItem labelContent={<Label>Base URL</Label>}>
          <Input
            value={baseUrl}
            type="URL"
            accessibleName="Base URL"
            onInput={(e) => setBaseUrl(e.target.value)}
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
      </Form>
    </Dialog>
  );
}
