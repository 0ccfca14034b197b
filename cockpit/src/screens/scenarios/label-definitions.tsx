import { Bar } from '@ui5/webcomponents-react/Bar';
import { Button } from '@ui5/webcomponents-react/Button';
import { CheckBox } from '@ui5/webcomponents-react/CheckBox';
import { Dialog } from '@ui5/webcomponents-react/Dialog';
import { Form } from '@ui5/webcomponents-react/Form';
import { FormItem } from '@ui5/webcomponents-react/FormItem';
import { Input } from '@ui5/webcomponents-react/Input';
import { Label } from '@ui5/webcomponents-react/Label';
import { Table } from '@ui5/webcomponents-react/Table';
import { TableCell } from '@ui5/webcomponents-react/TableCell';
import { TableHeaderCell } from '@ui5/webcomponents-react/TableHeaderCell';
import { TableHeaderRow } from '@ui5/webcomponents-react/TableHeaderRow';
import { TableRow } from '@ui5/webcomponents-react/TableRow';
import { Text } from '@ui5/webcomponents-react/Text';
import { TextArea } from '@ui5/webcomponents-react/TextArea';
import { useState } from 'react';
import { type CombinedError, useMutation, useQuery } from 'urql';
import { ConfirmDialog } from '../../components/confirm';
import { PageHeader } from '../../components/page-header';
import { ErrorStrip } from '../../components/states';
import {
  CreateLabelDefinitionDocument,
  DeleteLabelDefinitionDocument,
  LabelDefinitionsDocument,
  UpdateLabelDefinitionDocument,
} from '../../generated/graphql';

/** Checks the editor's text is JSON before the API checks it is a JSON Schema. */
function jsonProblem(text: string): string | undefined {
  if (!text.trim()) return undefined;
  try {
    JSON.parse(text);
    return undefined;
  } catch (e) {
    return `Not valid JSON: ${(e as Error).message}`;
  }
}

/** Creates a label definition, or edits one's JSON schema. */
function SchemaDialog(props: {
  existing?: { key: string; schema?: string | null };
  onClose: () => void;
  onSaved: () => void;
}) {
  const [key, setKey] = useState(props.existing?.key ?? '');
  const [schema, setSchema] = useState(() => {
    const s = props.existing?.schema;
    return s ? JSON.stringify(JSON.parse(s), null, 2) : '';
  });
  const [created, create] = useMutation(CreateLabelDefinitionDocument);
  const [updated, update] = useMutation(UpdateLabelDefinitionDocument);
  const problem = jsonProblem(schema);
  const submit = async () => {
    const input = {
      key: key.trim(),
      ...(schema.trim() ? { schema: JSON.stringify(JSON.parse(schema)) } : {}),
    };
    const res = props.existing ? await update({ in: input }) : await create({ in: input });
    if (!res.error) props.onSaved();
  };
  return (
    <Dialog
      open
      headerText={props.existing ? `Schema of ${props.existing.key}` : 'Create label definition'}
      className="form-dialog wide"
      onClose={props.onClose}
      footer={
        <Bar
          design="Footer"
          endContent={
            <>
              <Button design="Emphasized" disabled={Boolean(problem)} onClick={() => void submit()}>
                Save
              </Button>
              <Button design="Transparent" onClick={props.onClose}>
                Cancel
              </Button>
            </>
          }
        />
      }
    >
      <ErrorStrip error={created.error ?? updated.error} />
      <Form layout="S1 M1 L1 XL1" labelSpan="S12 M12 L12 XL12">
        <FormItem labelContent={<Label required>Key</Label>}>
          <Input
            value={key}
            readonly={Boolean(props.existing)}
            accessibleName="Key"
            onInput={(e) => setKey(e.target.value)}
          />
        </FormItem>
        <FormItem labelContent={<Label>JSON schema</Label>}>
          <TextArea
            value={schema}
            rows={12}
            className="mono"
            accessibleName="JSON schema"
            placeholder='{"type": "string", "enum": ["eu", "us"]}'
            valueState={problem ? 'Negative' : 'None'}
            valueStateMessage={<div>{problem}</div>}
            onInput={(e) => setSchema(e.target.value)}
          />
        </FormItem>
      </Form>
    </Dialog>
  );
}

/** The tenant's label definitions: key and the JSON schema every value must satisfy. */
export default function LabelDefinitions() {
  const [{ data, fetching, error }, refresh] = useQuery({ query: LabelDefinitionsDocument });
  const [editing, setEditing] = useState<{ key: string; schema?: string | null } | 'new'>();
  const [deleting, setDeleting] = useState<string>();
  const [related, setRelated] = useState(false);
  const [failure, setFailure] = useState<CombinedError>();
  const [, remove] = useMutation(DeleteLabelDefinitionDocument);
  const reload = () => refresh({ requestPolicy: 'network-only' });
  return (
    <section aria-label="Label definitions">
      <PageHeader
        title="Label definitions"
        subtitle="JSON schemas that label values must satisfy"
        actions={
          <Button design="Emphasized" icon="add" onClick={() => setEditing('new')}>
            Create label definition
          </Button>
        }
      />
      <ErrorStrip error={error ?? failure} onClose={() => setFailure(undefined)} />
      <Table
        accessibleName="Label definitions"
        loading={fetching && !data}
        noData={<Text className="no-data">No label definitions.</Text>}
        headerRow={
          <TableHeaderRow>
            <TableHeaderCell width="14rem">Key</TableHeaderCell>
            <TableHeaderCell minWidth="200px">Schema</TableHeaderCell>
            <TableHeaderCell width="10rem">
              <span className="sr-only">Actions</span>
            </TableHeaderCell>
          </TableHeaderRow>
        }
      >
        {(data?.labelDefinitions ?? []).map((d) => (
          <TableRow key={d.key} rowKey={d.key}>
            <TableCell>
              <Text>{d.key}</Text>
            </TableCell>
            <TableCell>
              <Text className="mono small" maxLines={2}>
                {d.schema ?? 'any value'}
              </Text>
            </TableCell>
            <TableCell>
              <Button design="Transparent" onClick={() => setEditing(d)}>
                Edit schema
              </Button>
              {d.key !== 'scenarios' && (
                <Button
                  design="Transparent"
                  icon="delete"
                  accessibleName={`Delete ${d.key}`}
                  onClick={() => setDeleting(d.key)}
                />
              )}
            </TableCell>
          </TableRow>
        ))}
      </Table>
      {editing && (
        <SchemaDialog
          {...(editing === 'new' ? {} : { existing: editing })}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            reload();
          }}
        />
      )}
      <ConfirmDialog
        open={Boolean(deleting)}
        title={`Delete label definition ${deleting}?`}
        text={
          related
            ? 'Labels with this key are deleted from every object too.'
            : 'Refused while objects carry this label.'
        }
        action="Delete"
        onCancel={() => setDeleting(undefined)}
        onConfirm={async () => {
          const res = await remove({ key: deleting!, deleteRelatedLabels: related });
          setFailure(res.error);
          setDeleting(undefined);
          reload();
        }}
      >
        <CheckBox
          text="Also delete the labels with this key"
          checked={related}
          onChange={(e) => setRelated(e.target.checked)}
        />
      </ConfirmDialog>
    </section>
  );
}
