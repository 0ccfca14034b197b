import type { MtlsCredentials } from '../integration/mtls-client';
import type { CallResult, FaultClient, GatewayEndpoint } from './client';
import {
  OperationKind,
  heartbeat,
  pairApplication,
  registerApplication,
  requestCredentials,
  writeLabel,
  type LoadTenant,
} from './operations';

/** One operation of the load as its client saw it; `code` is absent when it was acknowledged. */
export interface OperationRecord {
  readonly kind: OperationKind;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly code?: string;
}

/** What the load's clients sent and were told: what the checks compare the stack with. */
export class LoadLedger {
  readonly records: OperationRecord[] = [];
  /** Every application name sent for registration. */
  readonly namesSent: string[] = [];
  /** Acknowledged registrations, oldest first. */
  readonly registered: Array<{ readonly name: string; readonly id: string }> = [];
  /** Acknowledged label writes: application ID → value. */
  readonly labels = new Map<string, string>();
  /** Applications whose pairing was acknowledged → their credentials. */
  readonly paired = new Map<string, MtlsCredentials>();
  /** Markers of every credential request sent; acknowledged ones → the request's ID. */
  readonly credentialMarkers: string[] = [];
  readonly credentials = new Map<string, string>();
  /** When the last acknowledged heartbeat was sent (0: none). */
  lastHeartbeatSentAt = 0;
  private labelNext = 0;
  /** Applications whose label write ended, in that order: the ones a pairing may take. */
  private readonly labelled: Array<{ readonly name: string; readonly id: string }> = [];
  private pairNext = 0;

  /** The next acknowledged application no label write has taken yet. */
  takeForLabel(): { name: string; id: string } | undefined {
    return this.registered[this.labelNext] && this.registered[this.labelNext++];
  }

  labelEnded(app: { name: string; id: string }): void {
    this.labelled.push(app);
  }

  /**
   * The next application whose label write ended and no pairing has taken yet. One document is
   * never written by the gateway (label) and the worker (CONNECTED) at the same moment: FerretDB
   * can lose one of two such updates (README, known limits), which is not what this suite tests.
   */
  takeForPairing(): { name: string; id: string } | undefined {
    return this.labelled[this.pairNext] && this.labelled[this.pairNext++];
  }
}

/** The order in which each client mixes the kinds (a label or pairing needs a registered application). */
const MIX: readonly OperationKind[] = [
  OperationKind.registration,
  OperationKind.heartbeat,
  OperationKind.label,
  OperationKind.registration,
  OperationKind.credentials,
  OperationKind.pairing,
  OperationKind.heartbeat,
];

/** Pause after an error, so a client facing an outage keeps a steady pace instead of spinning. */
const ERROR_PAUSE_MS = 200;

/**
 * Clients that each run one operation after another on one tenant until stopped, through one
 * gateway, moving to the next gateway when a connection fails (as a load balancer would).
 */
export class Load {
  readonly ledger = new LoadLedger();
  private running = false;
  private loops: Array<Promise<void>> = [];
  private seq = 0;

  constructor(
    private readonly client: FaultClient,
    private readonly gateways: readonly GatewayEndpoint[],
    private readonly t: LoadTenant,
  ) {}

  start(clients: number): void {
    this.running = true;
    for (let i = 0; i < clients; i++) this.loops.push(this.loop(i));
  }

  /** Stops sending and waits for the operations in flight. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
    this.loops = [];
  }

  /**
   * Every paired application calls once more, as clients keep calling: a gateway that died
   * right after answering a first call leaves completing the pairing to the client's next call.
   */
  async callAgainAsPaired(gateway: GatewayEndpoint): Promise<void> {
    for (const credentials of this.ledger.paired.values()) {
      await this.client.mtls(gateway, credentials, '{ viewer { id } }');
    }
  }

  /** Resolves once `done` holds (checked as operations end). */
  async until(done: () => boolean): Promise<void> {
    while (!done()) await new Promise((r) => setTimeout(r, 50));
  }

  private async loop(index: number): Promise<void> {
    let gateway = index % this.gateways.length;
    for (let step = index; this.running; step++) {
      const result = await this.run(MIX[step % MIX.length]!, this.gateways[gateway]!);
      if (result.ok) continue;
      if (result.transport) gateway = (gateway + 1) % this.gateways.length;
      await new Promise((r) => setTimeout(r, ERROR_PAUSE_MS));
    }
  }

  private async run(wanted: OperationKind, gateway: GatewayEndpoint): Promise<CallResult<unknown>> {
    const { client, t, ledger } = this;
    const startedAt = Date.now();
    const app =
      wanted === OperationKind.label
        ? ledger.takeForLabel()
        : wanted === OperationKind.pairing
          ? ledger.takeForPairing()
          : undefined;
    const kind =
      (wanted === OperationKind.label || wanted === OperationKind.pairing) && !app
        ? OperationKind.registration
        : wanted;
    let result: CallResult<unknown>;
    switch (kind) {
      case OperationKind.registration: {
        const name = `load-${++this.seq}`;
        ledger.namesSent.push(name);
        const res = await registerApplication(client, gateway, t, name);
        if (res.ok) ledger.registered.push({ name, id: res.data });
        result = res;
        break;
      }
      case OperationKind.label:
        result = await writeLabel(client, gateway, t, app!.id, app!.name);
        if (result.ok) ledger.labels.set(app!.id, app!.name);
        ledger.labelEnded(app!);
        break;
      case OperationKind.pairing: {
        const res = await pairApplication(client, gateway, t, app!.id);
        if (res.ok) ledger.paired.set(app!.id, res.data);
        result = res;
        break;
      }
      case OperationKind.heartbeat:
        result = await heartbeat(client, gateway, t);
        if (result.ok) ledger.lastHeartbeatSentAt = Math.max(ledger.lastHeartbeatSentAt, startedAt);
        break;
      case OperationKind.credentials: {
        const marker = `load-${++this.seq}`;
        ledger.credentialMarkers.push(marker);
        const res = await requestCredentials(client, gateway, t, marker);
        if (res.result.ok) ledger.credentials.set(marker, res.id!);
        result = res.result;
        break;
      }
    }
    ledger.records.push({ kind, startedAt, endedAt: Date.now(), ...(!result.ok && { code: result.code }) });
    return result;
  }
}

/**
 * How long after `since` every kind was acknowledged again for an operation started after it
 * (undefined while some kind was not).
 */
export function recoveryMs(records: readonly OperationRecord[], since: number): number | undefined {
  let latest = since;
  for (const kind of Object.values(OperationKind)) {
    const first = records
      .filter((r) => r.kind === kind && r.code === undefined && r.startedAt >= since)
      .reduce((min, r) => Math.min(min, r.endedAt), Infinity);
    if (first === Infinity) return undefined;
    latest = Math.max(latest, first);
  }
  return latest - since;
}
