import '@ui5/webcomponents-icons/dist/add.js';
import { Bar } from '@ui5/webcomponents-react/Bar';
import { Button } from '@ui5/webcomponents-react/Button';
import { Dialog } from '@ui5/webcomponents-react/Dialog';
import { Form } from '@ui5/webcomponents-react/Form';
import { FormItem } from '@ui5/webcomponents-react/FormItem';
import { Input } from '@ui5/webcomponents-react/Input';
import { Label } from '@ui5/webcomponents-react/Label';
import { Option } from '@ui5/webcomponents-react/Option';
import { Select } from '@ui5/webcomponents-react/Select';
import { Table } from '@ui5/webcomponents-react/Table';
import { TableCell } from '@ui5/webcomponents-react/TableCell';
import { TableHeaderCell } from '@ui5/webcomponents-react/TableHeaderCell';
import { TableHeaderRow } from '@ui5/webcomponents-react/TableHeaderRow';
import { TableRow } from '@ui5/webcomponents-react/TableRow';
import { Text } from '@ui5/webcomponents-react/Text';
import { TextArea } from '@ui5/webcomponents-react/TextArea';
import { type ReactNode, useCallback, useState } from 'react';
import { type CombinedError, useMutation, useQuery } from 'urql';
import { ConfirmDialog } from '../../components/confirm';
import { ErrorStrip, Loading } from '../../components/states';
import { StatusTag } from '../../components/status';
import { credentialRequestWorkflowId, TemporalLink } from '../../components/temporal-link';
import { Ago, usePolling } from '../../components/time';
import {
  type AuthInput,
  type CredentialRequestFieldsFragment,
  CredentialRequestsDocument,
  DeleteBundleInstanceAuthDocument,
  RequestBundleInstanceAuthCreationDocument,
  RequestBundleInstanceAuthDeletionDocument,
  SetBundleInstanceAuthDocument,
} from '../../generated/graphql';
import { useHasScope } from '../../session';

type Request = CredentialRequestFieldsFragment;

/**
 * While a request waits for an answer (PENDING: the application's webhook or the application
 * itself; UNUSED: the application revoking), the list asks again this often. Polling, not a
 * subscription: the Director API has none, and the workflow answers within seconds.
 */
const WAITING_POLL_MS = 2000;
const waiting = (r: Request) => r.status.condition === 'PENDING' || r.status.condition === 'UNUSED';

/** The credentials a request holds, without their secrets. */
function credentialSummary(r: Request): string {
  const c = r.auth?.credential;
  if (!c) return '–';
  if (c.__typename === 'BasicCredentialData') return `basic · ${c.username}`;
  if (c.__typename === 'OAuthCredentialData') return `OAuth · ${c.clientId}`;
  return 'provided';
}

/** A JSON text box's value, or a message when it is not JSON; empty is undefined. */
function jsonOrProblem(text: string, what: string): { value?: string; problem?: string } {
  const trimmed = text.trim();
  if (!trimmed) return {};
  try {
    JSON.parse(trimmed);
    return { value: trimmed };
  } catch {
    return { problem: `${what} is not valid JSON` };
  }
}

function FormDialog(props: {
  title: string;
  action: string;
  busy: boolean;
  error: CombinedError | undefined;
  problem?: string | undefined;
  onSubmit: () => void;
  onClose: () => void;
  children: ReactNode;
}) {
  return (
    <Dialog
      open
      headerText={props.title}
      className="form-dialog"
      onClose={props.onClose}
      footer={
        <Bar
          design="Footer"
          endContent={
            <>
              <Button design="Emphasized" disabled={props.busy} onClick={props.onSubmit}>
                {props.action}
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
      {props.problem && (
        <Text className="problem" role="alert">
          {props.problem}
        </Text>
      )}
      <Form layout="S1 M1 L1 XL1" labelSpan="S12 M12 L12 XL12">
        {props.children}
      </Form>
    </Dialog>
  );
}

/** requestBundleInstanceAuthCreation: a runtime's (or an operator's) request for credentials. */
function RequestDialog(props: {
  bundleId: string;
  schema: string | null;
  onDone: () => void;
  onClose: () => void;
}) {
  const [context, setContext] = useState('');
  const [params, setParams] = useState('');
  const [problem, setProblem] = useState<string>();
  const [result, request] = useMutation(RequestBundleInstanceAuthCreationDocument);
  const submit = async () => {
    const c = jsonOrProblem(context, 'Context');
    const p = jsonOrProblem(params, 'Input parameters');
    setProblem(c.problem ?? p.problem);
    if (c.problem || p.problem) return;
    const res = await request({
      bundleID: props.bundleId,
      in: { ...(c.value ? { context: c.value } : {}), ...(p.value ? { inputParams: p.value } : {}) },
    });
    if (!res.error) props.onDone();
  };
  return (
    <FormDialog
      title="Request credentials"
      action="Request"
      busy={result.fetching}
      error={result.error}
      problem={problem}
      onSubmit={() => void submit()}
      onClose={props.onClose}
    >
      <FormItem labelContent={<Label>Context (JSON)</Label>}>
        <TextArea
          value={context}
          accessibleName="Context"
          placeholder='e.g. {"namespace":"shop"}'
          onInput={(e) => setContext(e.target.value)}
        />
      </FormItem>
      <FormItem labelContent={<Label required={Boolean(props.schema)}>Input parameters (JSON)</Label>}>
        <TextArea
          value={params}
          accessibleName="Input parameters"
          rows={4}
          placeholder={props.schema ? `matching the bundle's schema: ${props.schema}` : 'optional'}
          onInput={(e) => setParams(e.target.value)}
        />
      </FormItem>
    </FormDialog>
  );
}

/** setBundleInstanceAuth with credentials (SUCCEEDED). */
function SetCredentialsDialog(props: { request: Request; onDone: () => void; onClose: () => void }) {
  const [kind, setKind] = useState<'basic' | 'oauth'>('basic');
  const [a, setA] = useState('');
  const [b, setB] = useState('');
  const [tokenUrl, setTokenUrl] = useState('');
  const [result, set] = useMutation(SetBundleInstanceAuthDocument);
  const submit = async () => {
    const auth: AuthInput =
      kind === 'basic'
        ? { credential: { basic: { username: a, password: b } } }
        : { credential: { oauth: { clientId: a, clientSecret: b, url: tokenUrl } } };
    const res = await set({ authID: props.request.id, in: { auth } });
    if (!res.error) props.onDone();
  };
  return (
    <FormDialog
      title="Set credentials"
      action="Set credentials"
      busy={result.fetching}
      error={result.error}
      onSubmit={() => void submit()}
      onClose={props.onClose}
    >
      <FormItem labelContent={<Label>Type</Label>}>
        <Select
          accessibleName="Credential type"
          onChange={(e) => setKind(e.detail.selectedOption.dataset.value === 'oauth' ? 'oauth' : 'basic')}
        >
          <Option data-value="basic" selected={kind === 'basic'}>
            Basic (username and password)
          </Option>
          <Option data-value="oauth" selected={kind === 'oauth'}>
            OAuth client credentials
          </Option>
        </Select>
      </FormItem>
      <FormItem labelContent={<Label required>{kind === 'basic' ? 'Username' : 'Client ID'}</Label>}>
        <Input
          value={a}
          accessibleName={kind === 'basic' ? 'Username' : 'Client ID'}
          onInput={(e) => setA(e.target.value)}
        />
      </FormItem>
      <FormItem labelContent={<Label required>{kind === 'basic' ? 'Password' : 'Client secret'}</Label>}>
        <Input
          value={b}
          type="Password"
          accessibleName={kind === 'basic' ? 'Password' : 'Client secret'}
          onInput={(e) => setB(e.target.value)}
        />
      </FormItem>
      {kind === 'oauth' && (
        <FormItem labelContent={<Label required>Token URL</Label>}>
          <Input value={tokenUrl} accessibleName="Token URL" onInput={(e) => setTokenUrl(e.target.value)} />
        </FormItem>
      )}
    </FormDialog>
  );
}

/** setBundleInstanceAuth with status FAILED, a reason and a message. */
function FailDialog(props: { request: Request; onDone: () => void; onClose: () => void }) {
  const [reason, setReason] = useState('CredentialsNotProvided');
  const [message, setMessage] = useState('');
  const [result, set] = useMutation(SetBundleInstanceAuthDocument);
  const submit = async () => {
    const res = await set({
      authID: props.request.id,
      in: { status: { condition: 'FAILED', reason: reason.trim(), message: message.trim() } },
    });
    if (!res.error) props.onDone();
  };
  return (
    <FormDialog
      title="Fail the request"
      action="Fail"
      busy={result.fetching}
      error={result.error}
      onSubmit={() => void submit()}
      onClose={props.onClose}
    >
      <FormItem labelContent={<Label required>Reason</Label>}>
        <Input value={reason} accessibleName="Reason" onInput={(e) => setReason(e.target.value)} />
      </FormItem>
      <FormItem labelContent={<Label required>Message</Label>}>
        <Input value={message} accessibleName="Message" onInput={(e) => setMessage(e.target.value)} />
      </FormItem>
    </FormDialog>
  );
}

type Acting = { kind: 'set' | 'fail' | 'delete'; request: Request } | { kind: 'request' } | undefined;

/**
 * A bundle's credential requests (Compass's bundle instance auths) with their status; users
 * who may write applications answer them (set credentials, fail) and delete them, users who
 * may write runtimes request new ones and request deletion. Each links to its workflow.
 */
export function CredentialRequests({
  tenant,
  applicationId,
  bundleId,
}: {
  tenant: string;
  applicationId: string;
  bundleId: string;
}) {
  const [{ data, fetching, error }, refresh] = useQuery({
    query: CredentialRequestsDocument,
    variables: { applicationID: applicationId, bundleID: bundleId },
    requestPolicy: 'network-only',
  });
  const reload = useCallback(() => refresh({ requestPolicy: 'network-only' }), [refresh]);
  const bundle = data?.application?.bundle;
  const requests = bundle?.instanceAuths ?? [];
  usePolling(reload, WAITING_POLL_MS, requests.some(waiting));
  const answers = useHasScope('application:write');
  const asks = useHasScope('runtime:write');
  const [acting, setActing] = useState<Acting>();
  const [actionError, setActionError] = useState<CombinedError>();
  const [, requestDeletion] = useMutation(RequestBundleInstanceAuthDeletionDocument);
  const [deleting, remove] = useMutation(DeleteBundleInstanceAuthDocument);
  const done = () => {
    setActing(undefined);
    reload();
  };
  return (
    <section className="content-section" aria-label="Credential requests">
      <Bar
        design="Subheader"
        startContent={<Text className="section-title">Credential requests</Text>}
        endContent={
          asks ? (
            <Button icon="add" onClick={() => setActing({ kind: 'request' })}>
              Request credentials
            </Button>
          ) : undefined
        }
      />
      <ErrorStrip error={error ?? actionError} onClose={() => setActionError(undefined)} />
      {!bundle && fetching ? (
        <Loading />
      ) : (
        <Table
          accessibleName="Credential requests"
          overflowMode="Popin"
          noData={
            <Text className="no-data">
              No credential requests: runtimes request credentials for the bundle.
            </Text>
          }
          headerRow={
            <TableHeaderRow>
              <TableHeaderCell minWidth="160px">Request</TableHeaderCell>
              <TableHeaderCell width="8rem">Status</TableHeaderCell>
              <TableHeaderCell minWidth="200px">Reason and message</TableHeaderCell>
              <TableHeaderCell width="7rem" minWidth="90px">
                Updated
              </TableHeaderCell>
              <TableHeaderCell minWidth="140px">Credentials</TableHeaderCell>
              <TableHeaderCell width="15rem" minWidth="160px">
                <span className="sr-only">Actions</span>
              </TableHeaderCell>
            </TableHeaderRow>
          }
        >
          {requests.map((r) => (
            <TableRow key={r.id} rowKey={r.id} data-condition-row={r.status.condition}>
              <TableCell>
                <div className="cell-stack">
                  <Text className="mono small" title={r.id}>
                    {r.id.slice(0, 8)}
                  </Text>
                  {r.runtimeID && <Text className="small muted">runtime {r.runtimeID.slice(0, 8)}</Text>}
                  <TemporalLink
                    target={{ kind: 'workflow', workflowId: credentialRequestWorkflowId(tenant, r.id) }}
                    testId="credential-temporal-link"
                    accessibleName={`Open the workflow of request ${r.id} in Temporal UI`}
                  />
                </div>
              </TableCell>
              <TableCell>
                <StatusTag condition={r.status.condition} />
              </TableCell>
              <TableCell>
                <div className="cell-stack">
                  <Text className="mono small">{r.status.reason}</Text>
                  <Text>{r.status.message}</Text>
                </div>
              </TableCell>
              <TableCell>
                <Ago iso={r.status.timestamp} />
              </TableCell>
              <TableCell>
                <Text>{credentialSummary(r)}</Text>
              </TableCell>
              <TableCell>
                <div className="row-actions">
                  {answers && r.status.condition === 'PENDING' && (
                    <>
                      <Button design="Transparent" onClick={() => setActing({ kind: 'set', request: r })}>
                        Set credentials
                      </Button>
                      <Button design="Transparent" onClick={() => setActing({ kind: 'fail', request: r })}>
                        Fail
                      </Button>
                    </>
                  )}
                  {asks && r.status.condition !== 'UNUSED' && (
                    <Button
                      design="Transparent"
                      onClick={async () => {
                        const res = await requestDeletion({ authID: r.id });
                        setActionError(res.error);
                        reload();
                      }}
                    >
                      Request deletion
                    </Button>
                  )}
                  {answers && (
                    <Button design="Transparent" onClick={() => setActing({ kind: 'delete', request: r })}>
                      Delete
                    </Button>
                  )}
                </div>
              </TableCell>
            </TableRow>
          ))}
        </Table>
      )}
      {acting?.kind === 'request' && (
        <RequestDialog
          bundleId={bundleId}
          schema={bundle?.instanceAuthRequestInputSchema ?? null}
          onDone={done}
          onClose={() => setActing(undefined)}
        />
      )}
      {acting?.kind === 'set' && (
        <SetCredentialsDialog request={acting.request} onDone={done} onClose={() => setActing(undefined)} />
      )}
      {acting?.kind === 'fail' && (
        <FailDialog request={acting.request} onDone={done} onClose={() => setActing(undefined)} />
      )}
      <ConfirmDialog
        open={acting?.kind === 'delete'}
        title="Delete the credential request?"
        text="The request and its credentials are removed; the runtime no longer gets them."
        action="Delete"
        busy={deleting.fetching}
        onCancel={() => setActing(undefined)}
        onConfirm={async () => {
          if (acting?.kind !== 'delete') return;
          const res = await remove({ authID: acting.request.id });
          setActionError(res.error);
          done();
        }}
      />
    </section>
  );
}
