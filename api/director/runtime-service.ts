import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { NotFoundError, NotUniqueError } from '../../domain/errors';
import { SCENARIOS_KEY, withDefaultScenario } from '../../domain/label-definitions';
import { type LabelFilterInput, parseLabelFilters } from '../../domain/label-filter';
import type { Labels } from '../../domain/labels';
import { parsePageRequest } from '../../domain/pagination';
import {
  type Runtime,
  type RuntimeDraft,
  type RuntimePage,
  type RuntimeInput,
  validateRuntimeInput,
  withRuntimeDefaults,
} from '../../domain/runtime';
import type { RuntimeRepository } from '../../store/runtimes';
import { registerRuntime, replaceRuntime, unregisterRuntime } from '../workflow-clients/runtime';
import type { LabelDefinitionService } from './label-definition-service';
import type { ScenarioAssignmentService } from './scenario-assignment-service';

export interface RuntimeServiceDeps {
  readonly temporal: Client;
  readonly taskQueue: string;
  readonly runtimes: RuntimeRepository;
  readonly labelDefinitions: LabelDefinitionService;
  readonly assignments: ScenarioAssignmentService;
  /** How long a mutation waits for its workflow's answer. */
  readonly requestTimeoutMs: number;
}

/** A label as the `Label` GraphQL type returns it. */
export interface RuntimeLabel {
  readonly key: string;
  readonly value: unknown;
}

/**
 * Runtimes: reads go to MongoDB; registration, replacement and unregistration go through the
 * runtime's workflow; labels are direct validated writes. Every label change re-applies the
 * tenant's automatic scenario assignments.
 */
export class RuntimeService {
  constructor(private readonly deps: RuntimeServiceDeps) {}

  get(tenantId: string, id: string): Promise<Runtime | undefined> {
    return this.deps.runtimes.get(tenantId, id);
  }

  list(
    tenantId: string,
    filter: readonly LabelFilterInput[] | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<RuntimePage> {
    const conditions = parseLabelFilters(filter);
    return this.deps.runtimes.list(tenantId, parsePageRequest(first, after), conditions);
  }

  /** Validates, then starts the runtime's workflow and registers it in one call. */
  async register(tenantId: string, rawInput: unknown): Promise<Runtime> {
    const draft = await this.draft(tenantId, validateRuntimeInput(rawInput), [], true);
    return registerRuntime(this.deps, tenantId, randomUUID(), draft);
  }

  /** What registering `rawInput` would store (validated, defaults and assignments applied), for the Provisioner. */
  registrationDraft(tenantId: string, rawInput: unknown): Promise<RuntimeDraft> {
    return this.draft(tenantId, validateRuntimeInput(rawInput), [], true);
  }

  /** A full replace through the workflow; `<appId>_defaultEventing` labels survive it. */
  async update(tenantId: string, id: string, rawInput: unknown): Promise<Runtime> {
    const input = validateRuntimeInput(rawInput);
    const [existing, named] = await Promise.all([
      this.deps.runtimes.get(tenantId, id),
      this.deps.runtimes.findByName(tenantId, input.name),
    ]);
    if (!existing) throw new NotFoundError('runtime', id);
    if (named && named.id !== id) throw new NotUniqueError('Runtime');
    const draft = await this.draft(tenantId, input, existing.scenariosFromAssignments, false);
    return replaceRuntime(this.deps, tenantId, id, draft, existing.status.condition);
  }

  /** Unregisters through the workflow (which removes the contexts too); returns the runtime as it was. */
  async unregister(tenantId: string, id: string): Promise<Runtime> {
    const existing = await this.deps.runtimes.get(tenantId, id);
    if (!existing) throw new NotFoundError('runtime', id);
    await unregisterRuntime(this.deps, tenantId, id, existing.status.condition);
    return existing;
  }

  /** Creates or replaces one label; returns it as stored (assignments applied). */
  async setLabel(tenantId: string, runtimeId: string, key: string, value: unknown): Promise<RuntimeLabel> {
    const runtime = await this.deps.runtimes.get(tenantId, runtimeId);
    if (!runtime) throw new NotFoundError('runtime', runtimeId);
    await this.deps.labelDefinitions.validateLabel(tenantId, key, value);
    const stored = await this.writeLabels(runtime, { ...runtime.labels, [key]: value });
    return { key, value: stored.labels[key] ?? value };
  }

  /** Removes one label; NotFound when the runtime or the label is missing. Returns it as it was. */
  async deleteLabel(tenantId: string, runtimeId: string, key: string): Promise<RuntimeLabel> {
    const runtime = await this.deps.runtimes.get(tenantId, runtimeId);
    if (!runtime) throw new NotFoundError('runtime', runtimeId);
    if (!(key in runtime.labels)) throw new NotFoundError('label', key);
    const { [key]: removed, ...rest } = runtime.labels;
    await this.writeLabels(runtime, rest);
    return { key, value: removed };
  }

  private async writeLabels(runtime: Runtime, labels: Labels): Promise<Runtime> {
    const next = await this.deps.assignments.assign(
      runtime.tenantId,
      labels,
      runtime.scenariosFromAssignments,
    );
    const stored = await this.deps.runtimes.setLabels(
      runtime.tenantId,
      runtime.id,
      next.labels,
      next.scenariosFromAssignments,
    );
    if (!stored) throw new NotFoundError('runtime', runtime.id);
    return stored;
  }

  /**
   * Validates the input's labels, applies defaults and assignments: what the workflow stores.
   * A registration that neither the input nor an assignment gives a scenario joins DEFAULT,
   * as in Compass (an update keeps what the input says).
   */
  private async draft(
    tenantId: string,
    input: RuntimeInput,
    previous: readonly string[],
    registration: boolean,
  ): Promise<RuntimeDraft> {
    const labels = withRuntimeDefaults(input.labels);
    await this.deps.labelDefinitions.validateLabels(tenantId, labels);
    const assigned = await this.deps.assignments.assign(tenantId, labels, previous);
    let stored = assigned.labels;
    if (registration && stored[SCENARIOS_KEY] === undefined) {
      stored = withDefaultScenario(stored);
      await this.deps.labelDefinitions.validateLabels(tenantId, { [SCENARIOS_KEY]: stored[SCENARIOS_KEY] });
    }
    return {
      name: input.name,
      ...(input.description !== undefined && { description: input.description }),
      labels: stored,
      scenariosFromAssignments: assigned.scenariosFromAssignments,
      ...(input.statusCondition !== undefined && { statusCondition: input.statusCondition }),
    };
  }
}
