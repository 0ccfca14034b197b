import { Bar } from '@ui5/webcomponents-react/Bar';
import { Button } from '@ui5/webcomponents-react/Button';
import { ComboBox } from '@ui5/webcomponents-react/ComboBox';
import { ComboBoxItem } from '@ui5/webcomponents-react/ComboBoxItem';
import { Dialog } from '@ui5/webcomponents-react/Dialog';
import { Form } from '@ui5/webcomponents-react/Form';
import { FormItem } from '@ui5/webcomponents-react/FormItem';
import { Label } from '@ui5/webcomponents-react/Label';
import { useState } from 'react';
import { type CombinedError, useMutation, useQuery } from 'urql';
import { scenariosOf } from '../../components/labels';
import { ErrorStrip } from '../../components/states';
import {
  ApplicationsDocument,
  RuntimesDocument,
  SetApplicationLabelDocument,
  SetRuntimeLabelDocument,
} from '../../generated/graphql';

/** Adds a scenario to an application and/or a runtime (their `scenarios` label). */
export function AssignDialog({ scenario, onClose }: { scenario: string; onClose: () => void }) {
  const [apps] = useQuery({ query: ApplicationsDocument, variables: { first: 200 } });
  const [runtimes] = useQuery({ query: RuntimesDocument, variables: { first: 200 } });
  const [, setAppLabel] = useMutation(SetApplicationLabelDocument);
  const [, setRuntimeLabel] = useMutation(SetRuntimeLabelDocument);
  const [appName, setAppName] = useState('');
  const [runtimeName, setRuntimeName] = useState('');
  const [error, setError] = useState<CombinedError>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    const app = apps.data?.applications.data.find((a) => a.name === appName);
    const runtime = runtimes.data?.runtimes.data.find((r) => r.name === runtimeName);
    const add = (labels: Record<string, unknown> | null | undefined) => [
      ...new Set([...scenariosOf(labels), scenario]),
    ];
    const failed =
      (app &&
        (await setAppLabel({ applicationID: app.id, key: 'scenarios', value: add(app.labels) })).error) ||
      (runtime &&
        (await setRuntimeLabel({ runtimeID: runtime.id, key: 'scenarios', value: add(runtime.labels) }))
          .error) ||
      undefined;
    setBusy(false);
    setError(failed);
    if (!failed) onClose();
  };
  return (
    <Dialog
      open
      headerText={`Assign to ${scenario}`}
      className="form-dialog"
      onClose={onClose}
      footer={
        <Bar
          design="Footer"
          endContent={
            <>
              <Button
                design="Emphasized"
                disabled={busy || (!appName && !runtimeName)}
                onClick={() => void submit()}
              >
                Assign
              </Button>
              <Button design="Transparent" onClick={onClose}>
                Cancel
              </Button>
            </>
          }
        />
      }
    >
      <ErrorStrip error={error ?? apps.error ?? runtimes.error} />
      <Form layout="S1 M1 L1 XL1" labelSpan="S12 M12 L12 XL12">
        <FormItem labelContent={<Label>Application</Label>}>
          <ComboBox
            value={appName}
            accessibleName="Application"
            placeholder="Choose an application"
            onChange={(e) => setAppName(e.target.value)}
          >
            {apps.data?.applications.data.map((a) => (
              <ComboBoxItem key={a.id} text={a.name} />
            ))}
          </ComboBox>
        </FormItem>
        <FormItem labelContent={<Label>Runtime</Label>}>
          <ComboBox
            value={runtimeName}
            accessibleName="Runtime"
            placeholder="Choose a runtime"
            onChange={(e) => setRuntimeName(e.target.value)}
          >
            {runtimes.data?.runtimes.data.map((r) => (
              <ComboBoxItem key={r.id} text={r.name} />
            ))}
          </ComboBox>
        </FormItem>
      </Form>
    </Dialog>
  );
}
