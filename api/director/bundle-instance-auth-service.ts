import { randomUUID } from 'node:crypto';
import Ajv from 'ajv';
import {
  type BundleInstanceAuth,
  type BundleInstanceAuthRecord,
  validateBundleInstanceAuthRequestInput,
  validateBundleInstanceAuthSetInput,
} from '../../domain/bundle-instance-auth';
import type { Bundle } from '../../domain/bundle';
import { InvalidDataError, NotFoundError } from '../../domain/errors';
import type { SecretBox } from '../../infra/secret-box';
import { type BundleInstanceAuthRepository, openBundleInstanceAuth } from '../../store/bundle-instance-auths';
import { toAppError } from '../errors';
import type { CredentialRequestClient } from '../workflow-clients/credential-request';

export interface BundleInstanceAuthServiceDeps {
  readonly instanceAuths: Pick<BundleInstanceAuthRepository, 'get' | 'listForBundles'>;
  readonly bundles: { get(tenantId: string, id: string): Promise<Bundle | undefined> };
  readonly workflows: CredentialRequestClient;
  /** Seals credentials before they enter workflow history; opens them for entitled callers. */
  readonly secretBox: SecretBox;
}

const ajv = new Ajv({ allErrors: true, strict: false });
const REQUEST_INPUT = 'BundleInstanceAuthRequestInput';

/** How many requests of a deleted bundle are deleted at once. */
const DELETE_CONCURRENCY = 16;

/**
 * Credential requests (bundle instance auths): reads go to MongoDB; every change goes through
 * the request's workflow, the single writer of its status. Credentials are sealed here,
 * before they reach Temporal, and opened only for the caller's answer.
 */
export class BundleInstanceAuthService {
  constructor(private readonly deps: BundleInstanceAuthServiceDeps) {}

  async get(tenantId: string, id: string): Promise<BundleInstanceAuth | undefined> {
    const record = await this.deps.instanceAuths.get(tenantId, id);
    return record && this.open(record);
  }

  /** The requests of each bundle, in the order of `bundleIds` (for DataLoader). */
  async forBundles(tenantId: string, bundleIds: readonly string[]): Promise<BundleInstanceAuth[][]> {
    const byBundle = await this.deps.instanceAuths.listForBundles(tenantId, bundleIds);
    return bundleIds.map((id) => (byBundle.get(id) ?? []).map((r) => this.open(r)));
  }

  /** requestBundleInstanceAuthCreation: `runtimeId` is the requesting runtime, when a runtime calls. */
  async requestCreation(
    tenantId: string,
    bundleId: string,
    rawInput: unknown,
    runtimeId: string | undefined,
  ): Promise<BundleInstanceAuth> {
    const input = validateBundleInstanceAuthRequestInput(rawInput);
    const bundle = await this.deps.bundles.get(tenantId, bundleId);
    if (!bundle) throw new NotFoundError('bundle', bundleId);
    if (bundle.instanceAuthRequestInputSchema)
      this.checkInputParams(bundle.instanceAuthRequestInputSchema, input.inputParams);
    const id = randomUUID();
    const record = await this.deps.workflows.requestCreation(
      { tenantId, id, applicationId: bundle.applicationId, ...(runtimeId && { runtimeId }) },
      {
        bundleId,
        applicationId: bundle.applicationId,
        ...(runtimeId && { runtimeId }),
        ...input,
        ...(bundle.defaultInstanceAuth && {
          defaultAuthSealed: this.deps.secretBox.sealJson(bundle.defaultInstanceAuth),
        }),
      },
    );
    return this.open(record);
  }

  /** setBundleInstanceAuth: only a PENDING request (InvalidOperation otherwise, from the workflow). */
  async set(tenantId: string, id: string, rawInput: unknown): Promise<BundleInstanceAuth> {
    const input = validateBundleInstanceAuthSetInput(rawInput);
    const existing = await this.existing(tenantId, id);
    const record = await this.deps.workflows.set(this.target(existing), {
      ...(input.auth && { authSealed: this.deps.secretBox.sealJson(input.auth) }),
      ...(input.status && { status: input.status }),
    });
    return this.open(record);
  }

  /** requestBundleInstanceAuthDeletion: deleted when the bundle has a default auth, else UNUSED. */
  async requestDeletion(tenantId: string, id: string): Promise<BundleInstanceAuth> {
    const existing = await this.existing(tenantId, id);
    const bundle = await this.deps.bundles.get(tenantId, existing.bundleId);
    const { record } = await this.deps.workflows.requestDeletion(this.target(existing), {
      bundleHasDefaultAuth: bundle?.defaultInstanceAuth !== undefined,
    });
    return this.open(record);
  }

  /** deleteBundleInstanceAuth: removes the request; returns it as it was. */
  async delete(tenantId: string, id: string): Promise<BundleInstanceAuth> {
    const existing = await this.existing(tenantId, id);
    return this.open(await this.deps.workflows.delete(this.target(existing)));
  }

  /**
   * Deletes every request of a bundle through its workflow, which then ends (a running one is
   * stopped, a finished one starts a run that deletes it); one already gone is skipped.
   */
  async deleteForBundle(tenantId: string, bundleId: string): Promise<void> {
    const records = (await this.deps.instanceAuths.listForBundles(tenantId, [bundleId])).get(bundleId) ?? [];
    for (let i = 0; i < records.length; i += DELETE_CONCURRENCY) {
      await Promise.all(
        records.slice(i, i + DELETE_CONCURRENCY).map(async (record) => {
          try {
            await this.deps.workflows.delete(this.target(record));
          } catch (err) {
            if (toAppError(err)?.name !== 'NotFound') throw err;
          }
        }),
      );
    }
  }

  private async existing(tenantId: string, id: string): Promise<BundleInstanceAuthRecord> {
    const record = await this.deps.instanceAuths.get(tenantId, id);
    if (!record) throw new NotFoundError('bundleInstanceAuth', id);
    return record;
  }

  private target(record: BundleInstanceAuthRecord) {
    return {
      tenantId: record.tenantId,
      id: record.id,
      applicationId: record.applicationId,
      ...(record.runtimeId && { runtimeId: record.runtimeId }),
      record,
    };
  }

  /** Compass's rule: with a schema, inputParams are required and must match it. */
  private checkInputParams(schemaText: string, inputParams: string | undefined): void {
    if (inputParams === undefined)
      throw new InvalidDataError(REQUEST_INPUT, { inputParams: 'cannot be blank' });
    let validate;
    try {
      validate = ajv.compile(JSON.parse(schemaText) as object);
    } catch {
      throw new InvalidDataError(REQUEST_INPUT, {
        inputParams: "the bundle's instanceAuthRequestInputSchema is not a valid JSON Schema",
      });
    }
    if (!validate(JSON.parse(inputParams))) {
      const problems = (validate.errors ?? []).map(
        (e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`,
      );
      throw new InvalidDataError(REQUEST_INPUT, {
        inputParams: `does not match the bundle's schema: ${problems.join(', ')}`,
      });
    }
  }

  private open(record: BundleInstanceAuthRecord): BundleInstanceAuth {
    return openBundleInstanceAuth(record, this.deps.secretBox);
  }
}
