import { Bar } from '@ui5/webcomponents-react/Bar';
import { Button } from '@ui5/webcomponents-react/Button';
import { CheckBox } from '@ui5/webcomponents-react/CheckBox';
import { Dialog } from '@ui5/webcomponents-react/Dialog';
import { Form } from '@ui5/webcomponents-react/Form';
import { FormItem } from '@ui5/webcomponents-react/FormItem';
import { Input } from '@ui5/webcomponents-react/Input';
import { Label } from '@ui5/webcomponents-react/Label';
import { Link } from '@ui5/webcomponents-react/Link';
import { Table } from '@ui5/webcomponents-react/Table';
import { TableCell } from '@ui5/webcomponents-react/TableCell';
import { TableHeaderCell } from '@ui5/webcomponents-react/TableHeaderCell';
import { TableHeaderRow } from '@ui5/webcomponents-react/TableHeaderRow';
import { TableRow } from '@ui5/webcomponents-react/TableRow';
import { Text } from '@ui5/webcomponents-react/Text';
import { useState } from 'react';
import { useMutation } from 'urql';
import { ErrorStrip } from '../../components/states';
import { AddBundleDocument, type ApplicationQuery } from '../../generated/graphql';
import { follow, href } from '../../router';
import { DefinitionFields, emptyDraft, toApiInput } from './definition-form';

type App = NonNullable<ApplicationQuery['application']>;

/** Adds a bundle, optionally created together with its first API definition. */
function AddBundleDialog({
  applicationId,
  onClose,
  onAdded,
}: {
  applicationId: string;
  onClose: () => void;
  onAdded: () => void;
}) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [withApi, setWithApi] = useState(true);
  const [api, setApi] = useState(emptyDraft('api'));
  const [result, add] = useMutation(AddBundleDocument);
  const submit = async () => {
    const res = await add({
      applicationID: applicationId,
      in: {
        name: name.trim(),
        ...(description.trim() ? { description: description.trim() } : {}),
        ...(withApi ? { apiDefinitions: [toApiInput(api)] } : {}),
      },
    });
    if (!res.error) onAdded();
  };
  return (
    <Dialog
      open
      headerText="Add bundle"
      className="form-dialog wide"
      onClose={onClose}
      footer={
        <Bar
          design="Footer"
          endContent={
            <>
              <Button design="Emphasized" disabled={result.fetching} onClick={() => void submit()}>
                Add bundle
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
      <Form layout="S1 M1 L1 XL1" labelSpan="S12 M4 L4 XL4">
        <FormItem labelContent={<Label required>Bundle name</Label>}>
          <Input value={name} accessibleName="Bundle name" onInput={(e) => setName(e.target.value)} />
        </FormItem>
        <FormItem labelContent={<Label>Bundle description</Label>}>
          <Input
            value={description}
            accessibleName="Bundle description"
            onInput={(e) => setDescription(e.target.value)}
          />
        </FormItem>
        <FormItem labelContent={<Label>API definition</Label>}>
          <CheckBox
            text="Create with an API definition"
            checked={withApi}
            onChange={(e) => setWithApi(e.target.checked)}
          />
        </FormItem>
        {withApi && <DefinitionFields kind="api" draft={api} onChange={setApi} />}
      </Form>
    </Dialog>
  );
}

/** The application's bundles, each linking to its API and event definitions and documents. */
export function BundlesTab({
  tenant,
  application,
  onChange,
}: {
  tenant: string;
  application: App;
  onChange: () => void;
}) {
  const [adding, setAdding] = useState(false);
  const bundles = application.bundles?.data ?? [];
  return (
    <>
      <Bar design="Subheader" endContent={<Button onClick={() => setAdding(true)}>Add bundle</Button>} />
      <Table
        accessibleName="Bundles"
        overflowMode="Popin"
        noData={<Text className="no-data">No bundles yet: add one with its API and event definitions.</Text>}
        headerRow={
          <TableHeaderRow>
            <TableHeaderCell>Name</TableHeaderCell>
            <TableHeaderCell minWidth="200px">Description</TableHeaderCell>
            <TableHeaderCell width="6rem">APIs</TableHeaderCell>
            <TableHeaderCell width="6rem">Events</TableHeaderCell>
            <TableHeaderCell width="7rem">Documents</TableHeaderCell>
          </TableHeaderRow>
        }
      >
        {bundles.map((b) => {
          const to = href([tenant, 'applications', application.id, 'bundles', b.id]);
          return (
            <TableRow key={b.id} rowKey={b.id}>
              <TableCell>
                <Link href={to} onClick={follow(to)}>
                  {b.name}
                </Link>
              </TableCell>
              <TableCell>
                <Text>{b.description ?? '–'}</Text>
              </TableCell>
              <TableCell>
                <Text>{b.apiDefinitions?.totalCount ?? 0}</Text>
              </TableCell>
              <TableCell>
                <Text>{b.eventDefinitions?.totalCount ?? 0}</Text>
              </TableCell>
              <TableCell>
                <Text>{b.documents?.totalCount ?? 0}</Text>
              </TableCell>
            </TableRow>
          );
        })}
      </Table>
      {adding && (
        <AddBundleDialog
          applicationId={application.id}
          onClose={() => setAdding(false)}
          onAdded={() => {
            setAdding(false);
            onChange();
          }}
        />
      )}
    </>
  );
}
