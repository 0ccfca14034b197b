import type { Db } from 'mongodb';
import type { ClusterConfig, Operation } from '../domain/provisioning';
import { fromStored, type StoredAs, toStored } from './documents';
import { TenantCollection } from './tenant-collection';

/** A provisioning operation, keyed by its ID. */
export type OperationDocument = StoredAs<Operation>;

/** A provisioned runtime: its cluster configuration and its operations, newest last. */
export interface ProvisionedRuntimeDocument {
  _id: string;
  tenantId: string;
  clusterConfig: ClusterConfig;
  operationIds: string[];
  lastOperationId: string;
}

/** A provisioned runtime as the Provisioner reads it. */
export interface ProvisionedRuntime {
  readonly id: string;
  readonly tenantId: string;
  readonly clusterConfig: ClusterConfig;
  readonly operationIds: readonly string[];
  readonly lastOperationId: string;
}

export const PROVISIONING_OPERATIONS = 'provisioning_operations';
export const PROVISIONED_RUNTIMES = 'provisioned_runtimes';

/**
 * The Provisioner's read model: operations by ID, and per runtime the ID list of its
 * operations (so a runtime's operations are read by ID, the one look-up every server answers
 * from an index). Written only by the provisioning and runtime workflows' activities.
 */
export class ProvisioningRepository {
  private readonly operations: TenantCollection<OperationDocument>;
  private readonly runtimes: TenantCollection<ProvisionedRuntimeDocument>;

  constructor(db: Db) {
    this.operations = new TenantCollection<OperationDocument>(db, PROVISIONING_OPERATIONS, 'operation');
    this.runtimes = new TenantCollection<ProvisionedRuntimeDocument>(db, PROVISIONED_RUNTIMES, 'runtime');
  }

  async operation(tenantId: string, id: string): Promise<Operation | undefined> {
    const doc = await this.operations.get(tenantId, id);
    return doc && (fromStored(doc) as Operation);
  }

  /** The operations named, in the order given. */
  async operationsOf(tenantId: string, ids: readonly string[]): Promise<Operation[]> {
    return (await this.operations.getMany(tenantId, ids)).map((d) => fromStored(d) as Operation);
  }

  async runtime(tenantId: string, runtimeId: string): Promise<ProvisionedRuntime | undefined> {
    const doc = await this.runtimes.get(tenantId, runtimeId);
    return doc && (fromStored(doc) as ProvisionedRuntime);
  }

  /**
   * Writes the operation as given and lists it under its runtime (idempotent). A later write
   * of an earlier state is ignored: a finished operation stays finished.
   */
  async recordOperation(operation: Operation, clusterConfig: ClusterConfig): Promise<void> {
    const current = await this.operations.get(operation.tenantId, operation.id);
    if (!current || !current.finishedAt || operation.finishedAt)
      await this.operations.put(toStored(operation));
    const listed = await this.runtimes.get(operation.tenantId, operation.runtimeId);
    const listedAlready = listed?.operationIds.includes(operation.id) ?? false;
    const upgraded = operation.type === 'Upgrade' && operation.state === 'Succeeded';
    if (listedAlready && !upgraded) return;
    const ids = listedAlready ? listed!.operationIds : [...(listed?.operationIds ?? []), operation.id];
    await this.runtimes.put({
      _id: operation.runtimeId,
      tenantId: operation.tenantId,
      clusterConfig: !listed || upgraded ? clusterConfig : listed.clusterConfig,
      operationIds: ids,
      lastOperationId: ids[ids.length - 1]!,
    });
  }
}
