import '@ui5/webcomponents-icons/dist/refresh.js';
import '@ui5/webcomponents-icons/dist/detail-view.js';
import { Bar } from '@ui5/webcomponents-react/Bar';
import { Button } from '@ui5/webcomponents-react/Button';
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
import type { UI5WCSlotsNode } from '@ui5/webcomponents-react-base';
import { type ReactNode, useState } from 'react';
import type { CombinedError } from 'urql';
import { ErrorStrip } from '../../components/states';
import { StatusTag } from '../../components/status';
import type { FetchRequestFieldsFragment } from '../../generated/graphql';
import { DefinitionFields, type DefinitionDraft, emptyDraft } from './definition-form';

/** One row of the API, event or document table. */
export interface ContentRow {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly detail?: string | null | undefined;
  readonly fetchRequest?: FetchRequestFieldsFragment | null | undefined;
}

/** The fetch request's status: where the spec comes from and how the last fetch went. */
function FetchStatus({ fetch }: { fetch: FetchRequestFieldsFragment | null | undefined }) {
  if (!fetch) return <span className="muted">inline</span>;
  return (
    <span className="fetch-status" title={fetch.url}>
      <StatusTag condition={fetch.status.condition} />
      {fetch.status.message && <Text className="small muted"> {fetch.status.message}</Text>}
    </span>
  );
}

/** A table of a bundle's APIs, events or documents with view, refetch and delete actions. */
export function ContentTable(props: {
  name: string;
  rows: readonly ContentRow[];
  empty: string;
  onView: (id: string) => void;
  onRefetch?: (id: string) => Promise<CombinedError | undefined>;
  onDelete: (id: string) => Promise<CombinedError | undefined>;
  actions: UI5WCSlotsNode;
}) {
  const [error, setError] = useState<CombinedError>();
  return (
    <section className="content-section" aria-label={props.name}>
      <Bar
        design="Subheader"
        startContent={<Text className="section-title">{props.name}</Text>}
        endContent={props.actions}
      />
      <ErrorStrip error={error} onClose={() => setError(undefined)} />
      <Table
        accessibleName={props.name}
        overflowMode="Popin"
        noData={<Text className="no-data">{props.empty}</Text>}
        headerRow={
          <TableHeaderRow>
            <TableHeaderCell>Name</TableHeaderCell>
            <TableHeaderCell width="10rem">Type</TableHeaderCell>
            <TableHeaderCell minWidth="180px">Target</TableHeaderCell>
            <TableHeaderCell minWidth="140px">Fetch status</TableHeaderCell>
            <TableHeaderCell width="9rem">
              <span className="sr-only">Actions</span>
            </TableHeaderCell>
          </TableHeaderRow>
        }
      >
        {props.rows.map((r) => (
          <TableRow key={r.id} rowKey={r.id}>
            <TableCell>
              <Text>{r.name}</Text>
            </TableCell>
            <TableCell>
              <Text>{r.kind}</Text>
            </TableCell>
            <TableCell>
              <Text className="mono">{r.detail ?? '–'}</Text>
            </TableCell>
            <TableCell>
              <FetchStatus fetch={r.fetchRequest} />
            </TableCell>
            <TableCell>
              <Button
                design="Transparent"
                icon="detail-view"
                accessibleName={`View spec of ${r.name}`}
                tooltip="View spec"
                onClick={() => props.onView(r.id)}
              />
              {props.onRefetch && r.fetchRequest && (
                <Button
                  design="Transparent"
                  icon="refresh"
                  accessibleName={`Refetch spec of ${r.name}`}
                  tooltip="Refetch spec"
                  onClick={async () => setError(await props.onRefetch!(r.id))}
                />
              )}
              <Button
                design="Transparent"
                icon="delete"
                accessibleName={`Delete ${r.name}`}
                tooltip="Delete"
                onClick={async () => setError(await props.onDelete(r.id))}
              />
            </TableCell>
          </TableRow>
        ))}
      </Table>
    </section>
  );
}

function FormDialog(props: {
  title: string;
  error: CombinedError | undefined;
  busy: boolean;
  onSubmit: () => void;
  onClose: () => void;
  children: ReactNode;
}) {
  return (
    <Dialog
      open
      headerText={props.title}
      className="form-dialog wide"
      onClose={props.onClose}
      footer={
        <Bar
          design="Footer"
          endContent={
            <>
              <Button design="Emphasized" disabled={props.busy} onClick={props.onSubmit}>
                Add
              </Button>
              <Button design="Transparent" onClick={props.onClose}>
                Cancel
              </Button>
            </>
          }
        />
      }
    >
      <ErrorStrip error={props.error} />
      <Form layout="S1 M1 L1 XL1" labelSpan="S12 M4 L4 XL4">
        {props.children}
      </Form>
    </Dialog>
  );
}

/** Adds an API or event definition to the bundle. */
export function AddDefinitionDialog(props: {
  kind: 'api' | 'event';
  onSubmit: (draft: DefinitionDraft) => Promise<CombinedError | undefined>;
  onClose: () => void;
}) {
  const [draft, setDraft] = useState(emptyDraft(props.kind));
  const [error, setError] = useState<CombinedError>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    const failed = await props.onSubmit(draft);
    setBusy(false);
    setError(failed);
    if (!failed) props.onClose();
  };
  return (
    <FormDialog
      title={props.kind === 'api' ? 'Add API definition' : 'Add event definition'}
      error={error}
      busy={busy}
      onSubmit={() => void submit()}
      onClose={props.onClose}
    >
      <DefinitionFields kind={props.kind} draft={draft} onChange={setDraft} />
    </FormDialog>
  );
}

/** What a new document holds. */
export interface DocumentDraft {
  title: string;
  displayName: string;
  description: string;
  kind: string;
  data: string;
}

/** Adds a Markdown document to the bundle. */
export function AddDocumentDialog(props: {
  onSubmit: (draft: DocumentDraft) => Promise<CombinedError | undefined>;
  onClose: () => void;
}) {
  const [draft, setDraft] = useState<DocumentDraft>({
    title: '',
    displayName: '',
    description: '',
    kind: '',
    data: '',
  });
  const [error, setError] = useState<CombinedError>();
  const set = (patch: Partial<DocumentDraft>) => setDraft({ ...draft, ...patch });
  const submit = async () => {
    const failed = await props.onSubmit(draft);
    setError(failed);
    if (!failed) props.onClose();
  };
  return (
    <FormDialog
      title="Add document"
      error={error}
      busy={false}
      onSubmit={() => void submit()}
      onClose={props.onClose}
    >
      <FormItem labelContent={<Label required>Title</Label>}>
        <Input value={draft.title} accessibleName="Title" onInput={(e) => set({ title: e.target.value })} />
      </FormItem>
      <FormItem labelContent={<Label required>Display name</Label>}>
        <Input
          value={draft.displayName}
          accessibleName="Display name"
          onInput={(e) => set({ displayName: e.target.value })}
        />
      </FormItem>
      <FormItem labelContent={<Label required>Description</Label>}>
        <Input
          value={draft.description}
          accessibleName="Description"
          onInput={(e) => set({ description: e.target.value })}
        />
      </FormItem>
      <FormItem labelContent={<Label>Kind</Label>}>
        <Input value={draft.kind} accessibleName="Kind" onInput={(e) => set({ kind: e.target.value })} />
      </FormItem>
      <FormItem labelContent={<Label>Markdown</Label>}>
        <TextArea
          value={draft.data}
          rows={6}
          accessibleName="Markdown"
          onInput={(e) => set({ data: e.target.value })}
        />
      </FormItem>
    </FormDialog>
  );
}
