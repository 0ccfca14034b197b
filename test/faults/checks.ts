import type { Client } from '@temporalio/client';
import type { Db } from 'mongodb';
import { credentialRequestWorkflowId, parseApplicationWorkflowId, runtimeWorkflowId } from '../../domain/ids';
import { APPLICATIONS } from '../../store/applications';
import { BUNDLE_INSTANCE_AUTHS } from '../../store/bundle-instance-auths';
import { CERTIFICATES } from '../../store/certificates';
import { SYSTEM_AUTHS } from '../../store/system-auths';
import { heartbeatSignal } from '../../workflows/runtime/messages';
import type { LoadLedger } from './load';
import { LOAD_LABEL, type LoadTenant } from './operations';

/** What the checks found for one tenant's load. */
export interface CheckResult {
  /** Acknowledged operations whose effect is missing (or never finished). */
  lost: number;
  /** Objects or effects present more than once. */
  duplicated: number;
  /** One line per finding, for the failure message. */
  problems: string[];
}

/**
 * How long a short-lived workflow may run at most, by type, in the phases named by its
 * CompassStatus (a pairing waits up to a day for the client's first call once certified).
 */
export type Deadlines = ReadonlyArray<{ type: string; statuses: readonly string[]; deadlineMs: number }>;

interface CheckDeps {
  readonly db: Db;
  readonly temporal: Client;
}

async function workflowStatuses(temporal: Client, query: string): Promise<Map<string, string>> {
  const statuses = new Map<string, string>();
  for await (const wf of temporal.workflow.list({ query })) statuses.set(wf.workflowId, wf.status.name);
  return statuses;
}

/** The heartbeat signals every run of the runtime's workflow received. */
async function heartbeatsReceived(temporal: Client, tenant: string, runtimeId: string): Promise<number> {
  const workflowId = runtimeWorkflowId(tenant, runtimeId);
  let count = 0;
  for await (const run of temporal.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    const history = await temporal.workflow.getHandle(workflowId, run.runId).fetchHistory();
    count += (history.events ?? []).filter(
      (e) => e.workflowExecutionSignaledEventAttributes?.signalName === heartbeatSignal.name,
    ).length;
  }
  return count;
}

/**
 * Compares the stack with what the load was told: every acknowledged operation present
 * exactly once, every registration the stack started finished, nothing present twice.
 */
async function checkOnce(deps: CheckDeps, t: LoadTenant, ledger: LoadLedger): Promise<CheckResult> {
  const { db, temporal } = deps;
  const result: CheckResult = { lost: 0, duplicated: 0, problems: [] };
  const lost = (what: string) => (result.lost++, result.problems.push(`lost: ${what}`));
  const twice = (what: string) => (result.duplicated++, result.problems.push(`duplicated: ${what}`));
  const tenantQuery = `TenantId = '${t.tenant}'`;

  const apps = await db.collection(APPLICATIONS).find({ tenantId: t.tenant }).toArray();
  const byName = new Map<string, typeof apps>();
  for (const app of apps) byName.set(String(app.name), [...(byName.get(String(app.name)) ?? []), app]);
  for (const { name } of ledger.registered) if (!byName.has(name)) lost(`registered application ${name}`);
  for (const [name, docs] of byName) if (docs.length > 1) twice(`application ${name} (${docs.length})`);
  const sent = new Set([...ledger.namesSent, 'bundle-owner']);
  for (const name of byName.keys()) if (!sent.has(name)) twice(`application ${name} nobody registered`);
  const appWorkflows = await workflowStatuses(
    temporal,
    `WorkflowType = 'applicationWorkflow' AND ${tenantQuery}`,
  );
  const stored = new Set(apps.map((a) => String(a._id)));
  for (const id of appWorkflows.keys()) {
    const appId = parseApplicationWorkflowId(id)?.applicationId;
    if (!appId || !stored.has(appId)) lost(`registration of ${id} started but never stored`);
  }

  const byId = new Map(apps.map((a) => [String(a._id), a]));
  for (const [appId, value] of ledger.labels) {
    const labels = byId.get(appId)?.labels as Record<string, unknown> | undefined;
    if (labels?.[LOAD_LABEL] !== value) lost(`label of ${appId} (${JSON.stringify(labels?.[LOAD_LABEL])})`);
  }

  const pairings = await workflowStatuses(temporal, `WorkflowType = 'pairingWorkflow' AND ${tenantQuery}`);
  for (const appId of ledger.paired.keys()) {
    const auths = await db
      .collection(SYSTEM_AUTHS)
      .find({ tenantId: t.tenant, referenceObjectId: appId })
      .toArray();
    if (auths.length !== 1) twice(`system auths of ${appId} (${auths.length})`);
    const clientId = String(auths[0]?._id);
    const certs = await db.collection(CERTIFICATES).countDocuments({ tenantId: t.tenant, clientId });
    if (certs !== 1) (certs === 0 ? lost : twice)(`certificates of paired ${appId} (${certs})`);
    const runs = [...pairings].filter(([id]) => id.startsWith(`pairing/${t.tenant}/${clientId}/`));
    if (runs.length !== 1 || runs[0]![1] !== 'COMPLETED')
      lost(`pairing of ${appId}: ${JSON.stringify(runs)}`);
    const condition = (byId.get(appId)?.status as { condition?: string } | undefined)?.condition;
    if (condition !== 'CONNECTED') lost(`paired ${appId} is ${condition}`);
  }

  const received = await heartbeatsReceived(temporal, t.tenant, t.runtimeId);
  const heartbeats = ledger.records.filter((r) => r.kind === 'heartbeat');
  const acked = heartbeats.filter((r) => r.code === undefined).length;
  if (received < acked) lost(`heartbeats: ${acked} acknowledged, ${received} received`);
  if (received > heartbeats.length) twice(`heartbeats: ${heartbeats.length} sent, ${received} received`);

  const requests = await db.collection(BUNDLE_INSTANCE_AUTHS).find({ tenantId: t.tenant }).toArray();
  const byMarker = new Map<string, typeof requests>();
  for (const r of requests) {
    const marker = String((JSON.parse(String(r.context ?? '{}')) as { marker?: string }).marker);
    byMarker.set(marker, [...(byMarker.get(marker) ?? []), r]);
  }
  for (const [marker, docs] of byMarker) if (docs.length > 1) twice(`credential requests ${marker}`);
  for (const [marker, id] of ledger.credentials) {
    const doc = byMarker.get(marker)?.find((d) => String(d._id) === id);
    const condition = (doc?.status as { condition?: string } | undefined)?.condition;
    if (condition !== 'SUCCEEDED') lost(`credential request ${id} is ${condition}`);
    const wf = await temporal.workflow.getHandle(credentialRequestWorkflowId(t.tenant, id)).describe();
    if (wf.status.name !== 'COMPLETED') lost(`credential request workflow ${id} is ${wf.status.name}`);
  }
  return result;
}

/**
 * Runs the checks until they pass or `settleMs` passes (work the stack accepted before a fault
 * may still be finishing); returns the last result.
 */
export async function checkTenant(
  deps: CheckDeps,
  t: LoadTenant,
  ledger: LoadLedger,
  settleMs: number,
): Promise<CheckResult> {
  const until = Date.now() + settleMs;
  for (;;) {
    const result = await checkOnce(deps, t, ledger);
    if ((result.lost === 0 && result.duplicated === 0) || Date.now() > until) return result;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Short-lived workflows still running past their deadline: stuck ones. */
export async function stuckWorkflows(
  temporal: Client,
  deadlines: Deadlines,
  now = Date.now(),
): Promise<string[]> {
  const stuck: string[] = [];
  for (const { type, statuses, deadlineMs } of deadlines) {
    const before = new Date(now - deadlineMs).toISOString();
    const phases = statuses.map((s) => `'${s}'`).join(', ');
    const query = `WorkflowType = '${type}' AND ExecutionStatus = 'Running' AND CompassStatus IN (${phases}) AND StartTime < '${before}'`;
    for await (const wf of temporal.workflow.list({ query })) stuck.push(wf.workflowId);
  }
  return stuck;
}
