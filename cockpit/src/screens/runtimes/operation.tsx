import '@ui5/webcomponents-icons/dist/error.js';
import '@ui5/webcomponents-icons/dist/pending.js';
import '@ui5/webcomponents-icons/dist/process.js';
import '@ui5/webcomponents-icons/dist/sys-enter-2.js';
import { Button } from '@ui5/webcomponents-react/Button';
import { MessageStrip } from '@ui5/webcomponents-react/MessageStrip';
import { Text } from '@ui5/webcomponents-react/Text';
import { Timeline } from '@ui5/webcomponents-react/Timeline';
import { TimelineItem } from '@ui5/webcomponents-react/TimelineItem';
import { useCallback, useEffect } from 'react';
import { useQuery } from 'urql';
import { PageHeader } from '../../components/page-header';
import { ErrorStrip, Loading } from '../../components/states';
import { StatusTag } from '../../components/status';
import { TemporalLink } from '../../components/temporal-link';
import { usePolling, useTick } from '../../components/time';
import { RuntimeNameDocument } from '../../generated/graphql';
import {
  type OperationFieldsFragment,
  type OperationState,
  RuntimeOperationStatusDocument,
} from '../../generated/provisioner';
import { DirectorScope, ProvisionerScope } from '../../provisioner-client';
import { follow, href, navigate } from '../../router';
import { NotFound } from '../not-found';
import {
  elapsed,
  isFinished,
  OPERATION_POLL_MS,
  operationTitle,
  provisioningWorkflowId,
  stageTitle,
} from './operation-text';

const STATE = {
  Pending: { state: 'None', icon: 'pending' },
  InProgress: { state: 'Information', icon: 'process' },
  Succeeded: { state: 'Positive', icon: 'sys-enter-2' },
  Failed: { state: 'Negative', icon: 'error' },
} as const satisfies Record<OperationState, { state: string; icon: string }>;

const time = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleTimeString() : '');

/**
 * An operation as a timeline: Pending (when it was accepted), then each stage so far with its
 * state, attempt, duration (running stages count up) and message, then Succeeded, or Failed
 * with the operation's last error.
 */
export function OperationTimeline({ operation: op }: { operation: OperationFieldsFragment }) {
  const now = useTick(500);
  const finished = isFinished(op.state);
  return (
    <Timeline accessibleName="Stages" data-testid="operation-timeline" data-state={op.state}>
      <TimelineItem
        titleText="Pending"
        subtitleText={time(op.startedAt)}
        icon={STATE.Pending.icon}
        data-testid="timeline-pending"
      >
        <Text className="small muted">Accepted; the runtime's workflow runs one operation at a time.</Text>
      </TimelineItem>
      {op.stages.map((s, i) => {
        const took = elapsed(s.startedAt, s.finishedAt, now);
        return (
          <TimelineItem
            key={`${s.name}-${i}`}
            titleText={stageTitle(s.name)}
            subtitleText={time(s.startedAt)}
            icon={STATE[s.state].icon}
            state={STATE[s.state].state}
            data-testid="timeline-stage"
            data-stage={s.name}
            data-state={s.state}
          >
            <div className="stage-body">
              <StatusTag condition={s.state} />
              <Text className="small muted">
                attempt {s.attempt}
                {took ? ` · ${s.finishedAt ? 'took' : 'running for'} ${took}` : ''}
              </Text>
            </div>
            {s.message && <Text className="stage-message">{s.message}</Text>}
          </TimelineItem>
        );
      })}
      {finished && (
        <TimelineItem
          titleText={op.state}
          subtitleText={time(op.finishedAt)}
          icon={STATE[op.state].icon}
          state={STATE[op.state].state}
          data-testid="timeline-result"
          data-state={op.state}
        >
          {op.lastError ? (
            <div className="last-error" data-testid="last-error">
              <Text>{op.lastError.errMessage}</Text>
              <Text className="small muted">
                reason {op.lastError.reason} · component {op.lastError.component}
              </Text>
            </div>
          ) : (
            <Text className="small muted">
              {op.message ?? operationTitle(op.operation)}
              {` · took ${elapsed(op.startedAt, op.finishedAt, now) ?? '–'}`}
            </Text>
          )}
        </TimelineItem>
      )}
    </Timeline>
  );
}

/** The runtime's name and status from the Director (null once it is unregistered). */
function RuntimeSummary({
  tenant,
  runtimeId,
  finished,
}: {
  tenant: string;
  runtimeId: string;
  finished: boolean;
}) {
  const [{ data }, refresh] = useQuery({ query: RuntimeNameDocument, variables: { id: runtimeId } });
  usePolling(
    useCallback(() => refresh({ requestPolicy: 'network-only' }), [refresh]),
    OPERATION_POLL_MS * 2,
    !finished,
  );
  // Once the operation ends, the runtime's status as it ended it (CONNECTED, or gone).
  useEffect(() => {
    if (finished) refresh({ requestPolicy: 'network-only' });
  }, [finished, refresh]);
  const runtime = data?.runtime;
  const to = href([tenant, 'runtimes', runtimeId]);
  if (!runtime) return <Text className="muted">runtime {runtimeId}</Text>;
  return (
    <>
      <a href={to} onClick={follow(to)} className="plain-link">
        {runtime.name}
      </a>
      <span data-testid="operation-runtime-status">
        <StatusTag condition={runtime.status.condition} />
      </span>
    </>
  );
}

function OperationPage({
  tenant,
  runtimeId,
  operationId,
}: {
  tenant: string;
  runtimeId: string;
  operationId: string;
}) {
  const [{ data, fetching, error }, refresh] = useQuery({
    query: RuntimeOperationStatusDocument,
    variables: { id: operationId },
    requestPolicy: 'network-only',
  });
  const op = data?.runtimeOperationStatus;
  const finished = op ? isFinished(op.state) : false;
  usePolling(
    useCallback(() => refresh({ requestPolicy: 'network-only' }), [refresh]),
    OPERATION_POLL_MS,
    Boolean(op) && !finished,
  );
  if (!op) {
    if (fetching) return <Loading />;
    return error ? <ErrorStrip error={error} /> : <NotFound what="This operation" />;
  }
  const runtimePage = href([tenant, 'runtimes', runtimeId]);
  const gone = finished && op.state === 'Succeeded' && op.operation === 'Deprovision';
  return (
    <section aria-label={`${operationTitle(op.operation)} operation`}>
      <PageHeader
        title={`${operationTitle(op.operation)} · ${op.state === 'InProgress' ? 'in progress' : op.state}`}
        crumbs={[
          { text: 'Runtimes', href: href([tenant, 'runtimes']) },
          ...(gone ? [] : [{ text: 'Runtime', href: runtimePage }]),
        ]}
        subtitle={
          <>
            <span data-testid="operation-state">
              <StatusTag condition={op.state} />
            </span>
            <DirectorScope>
              <RuntimeSummary tenant={tenant} runtimeId={runtimeId} finished={finished} />
            </DirectorScope>
            <TemporalLink
              target={{
                kind: 'workflow',
                workflowId: provisioningWorkflowId(tenant, runtimeId, op.id ?? ''),
              }}
              testId="operation-temporal-link"
            />
          </>
        }
        actions={
          !gone && (
            <Button design={finished ? 'Emphasized' : 'Default'} onClick={() => navigate(runtimePage)}>
              Open runtime
            </Button>
          )
        }
      />
      <ErrorStrip error={error} />
      {gone && (
        <MessageStrip design="Positive" hideCloseButton className="strip" data-testid="runtime-gone">
          The runtime is deprovisioned: its cluster and agent are gone and it is unregistered.
        </MessageStrip>
      )}
      <div className="content-section timeline-section">
        <OperationTimeline operation={op} />
      </div>
      <Text className="small muted">
        Operation {op.id}
        {finished ? '' : ' · updates every second'}
      </Text>
    </section>
  );
}

/** One operation on a runtime, live: `/cockpit/<tenant>/runtimes/<id>/operations/<operationId>`. */
export default function OperationScreen(props: { tenant: string; runtimeId: string; operationId: string }) {
  return (
    <ProvisionerScope>
      <OperationPage {...props} />
    </ProvisionerScope>
  );
}
