import type { OperationState } from '../../generated/provisioner';

/**
 * How often an open operation asks the Provisioner again while it runs. Polling, not a
 * subscription: runtimeOperationStatus reads the operation's read model (MongoDB), which the
 * workflow updates at every stage change, so a request a second shows each stage as it
 * starts and ends; polling stops once the operation has Succeeded or Failed.
 */
export const OPERATION_POLL_MS = 1000;

/** `provision/<tenant>/<runtimeId>/<operationId>`: an operation's workflow (domain/ids.ts). */
export function provisioningWorkflowId(tenant: string, runtimeId: string, operationId: string): string {
  return `provision/${tenant}/${runtimeId}/${operationId}`;
}

export const isFinished = (state: OperationState): boolean => state === 'Succeeded' || state === 'Failed';

/** `WaitingForClusterCreation` → "Waiting for cluster creation". */
export function stageTitle(name: string): string {
  const spaced = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** "Provision", "Reconnect runtime", … as a user reads them. */
export const operationTitle = stageTitle;

/** 0.4 s, 12 s, 3 min 5 s, 2 h 10 min. */
export function duration(ms: number): string {
  if (ms < 10_000) return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** How long something took, or has been running so far (from `now`). */
export function elapsed(
  startedAt: string | null | undefined,
  finishedAt: string | null | undefined,
  now: number,
): string | undefined {
  if (!startedAt) return undefined;
  const end = finishedAt ? Date.parse(finishedAt) : now;
  return duration(end - Date.parse(startedAt));
}
