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

  /** Adds a context to a runtime of the tenant. */
  async register(tenantId: string, runtimeId: string, rawInput: unknown): Promise<RuntimeContext> {
    const input = await this.validate(tenantId, rawInput);
    if (!(await this.deps.runtimes.get(tenantId, runtimeId))) throw new NotFoundError('runtime', runtimeId);
    return this.deps.contexts.put(toContext(tenantId, randomUUID(), runtimeId, input));
  }

  /** Replaces the context's key, value and labels. */
  async update(tenantId: string, id: string, rawInput: unknown): Promise<RuntimeContext> {
    const input = await this.validate(tenantId, rawInput);
    const existing = await this.deps.contexts.get(tenantId, id);
    if (!existing) throw new NotFoundError('runtimeContext', id);
    return this.deps.contexts.put(toContext(tenantId, id, existing.runtimeId, input));
  }

  /** Removes the context; returns it as it was. */
  async unregister(tenantId: string, id: string): Promise<RuntimeContext> {
    const existing = await this.deps.contexts.get(tenantId, id);
    if (!existing) throw new NotFoundError('runtimeContext', id);
    await this.deps.contexts.delete(tenantId, id);
    return existing;
  }

  private async validate(tenantId: string, rawInput: unknown): Promise<RuntimeContextInput> {
    const input = validateRuntimeContextInput(rawInput);
    for (const [key, value] of Object.entries(input.labels ?? {})) {
      await this.deps.labelDefinitions.validateLabel(tenantId, key, value);
    }
    return input;
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
