import { randomUUID } from 'node:crypto';
import { NotFoundError } from '../../domain/errors';
import { type LabelFilterInput, parseLabelFilters } from '../../domain/label-filter';
import { parsePageRequest } from '../../domain/pagination';
import {
  type RuntimeContext,
  type RuntimeContextInput,
  type RuntimeContextPage,
  validateRuntimeContextInput,
} from '../../domain/runtime-context';
import type { RuntimeContextRepository } from '../../store/runtime-contexts';
import type { RuntimeRepository } from '../../store/runtimes';
import type { LabelDefinitionService } from './label-definition-service';

export interface RuntimeContextServiceDeps {
  readonly contexts: RuntimeContextRepository;
  readonly runtimes: RuntimeRepository;
  readonly labelDefinitions: LabelDefinitionService;
}

/** Runtime contexts: plain metadata of a runtime, written directly after validation. */
export class RuntimeContextService {
  constructor(private readonly deps: RuntimeContextServiceDeps) {}

  get(tenantId: string, id: string): Promise<RuntimeContext | undefined> {
    return this.deps.contexts.get(tenantId, id);
  }

  /** The tenant's contexts matching `filter`; only `runtimeId`'s when it is given. */
  list(
    tenantId: string,
    filter: readonly LabelFilterInput[] | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
    runtimeId?: string,
  ): Promise<RuntimeContextPage> {
    const conditions = parseLabelFilters(filter);
    return this.deps.contexts.list(tenantId, parsePageRequest(first, after), conditions, runtimeId);
  }

  /**
   * Adds a context to a runtime of the tenant. The runtime is looked up before the labels'
   * definitions are created, so a refused call writes nothing.
   */
  async register(tenantId: string, runtimeId: string, rawInput: unknown): Promise<RuntimeContext> {
    const input = validateRuntimeContextInput(rawInput);
    if (!(await this.deps.runtimes.get(tenantId, runtimeId))) throw new NotFoundError('runtime', runtimeId);
    await this.validateLabels(tenantId, input);
    return this.deps.contexts.put(toContext(tenantId, randomUUID(), runtimeId, input));
  }

  /** Replaces the context's key, value and labels (looked up first, as in `register`). */
  async update(tenantId: string, id: string, rawInput: unknown): Promise<RuntimeContext> {
    const input = validateRuntimeContextInput(rawInput);
    const existing = await this.deps.contexts.get(tenantId, id);
    if (!existing) throw new NotFoundError('runtimeContext', id);
    await this.validateLabels(tenantId, input);
    return this.deps.contexts.put(toContext(tenantId, id, existing.runtimeId, input));
  }

  /** Removes the context; returns it as it was. */
  async unregister(tenantId: string, id: string): Promise<RuntimeContext> {
    const existing = await this.deps.contexts.get(tenantId, id);
    if (!existing) throw new NotFoundError('runtimeContext', id);
    await this.deps.contexts.delete(tenantId, id);
    return existing;
  }

  /** Checks every label against its definition, then creates the definitions of new keys. */
  private validateLabels(tenantId: string, input: RuntimeContextInput): Promise<void> {
    return this.deps.labelDefinitions.validateLabels(tenantId, input.labels ?? {});
  }
}

function toContext(
  tenantId: string,
  id: string,
  runtimeId: string,
  input: RuntimeContextInput,
): RuntimeContext {
  return { id, tenantId, runtimeId, key: input.key, value: input.value, labels: { ...input.labels } };
}
