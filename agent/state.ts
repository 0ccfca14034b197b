import path from 'node:path';
import type { CredentialSummary } from './bundle-credentials';
import { readOptional, writeAtomically, StateError } from './files';

/** The connection states of Kyma's CompassConnection. */
export const AgentState = {
  Connected: 'Connected',
  ConnectionFailed: 'ConnectionFailed',
  ConnectionMaintenanceFailed: 'ConnectionMaintenanceFailed',
  SynchronizationFailed: 'SynchronizationFailed',
  MetadataUpdateFailed: 'MetadataUpdateFailed',
  Synchronized: 'Synchronized',
} as const;
export type AgentState = (typeof AgentState)[keyof typeof AgentState];

/** What the agent knows of its connection; kept in `status.json` in the state directory. */
export interface ConnectionStatus {
  readonly state: AgentState;
  readonly runtimeId?: string;
  readonly connectorUrl?: string;
  readonly mtlsConnectorUrl?: string;
  readonly mtlsDirectorUrl?: string;
  readonly lastSync?: string;
  readonly lastSuccess?: string;
  readonly notBefore?: string;
  readonly notAfter?: string;
  /** The jittered point (70–90 % of the validity) at which the certificate is renewed. */
  readonly renewAt?: string;
  /** SHA-256 of the last one-time tokens redeemed or refused, so none is tried twice. */
  readonly triedTokenHashes?: readonly string[];
  readonly error?: string;
  readonly renewals?: number;
  /** When the certificate was last renewed, and why (asked for, jittered point, expiry). */
  readonly lastRenewal?: { readonly at: string; readonly reason: string };
  /** The agent's credential requests by condition, and the last round's error (no secrets). */
  readonly credentialRequests?: CredentialSummary & { readonly error?: string };
}

export const STATUS_FILE = 'status.json';

export async function loadStatus(dir: string): Promise<ConnectionStatus | undefined> {
  const text = await readOptional(path.join(dir, STATUS_FILE));
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as ConnectionStatus;
  } catch {
    throw new StateError(`${path.join(dir, STATUS_FILE)} is corrupt`);
  }
}

export async function saveStatus(dir: string, status: ConnectionStatus): Promise<void> {
  await writeAtomically(dir, { [STATUS_FILE]: JSON.stringify(status, null, 2) + '\n' });
}

/** A random point between 70 % and 90 % of the validity (kubelet's jitter). */
export function jitteredRenewal(notBefore: Date, notAfter: Date, random = Math.random): Date {
  const span = notAfter.getTime() - notBefore.getTime();
  return new Date(notBefore.getTime() + span * (0.7 + 0.2 * random()));
}
