import Ajv, { type ValidateFunction } from 'ajv';
import { InvalidDataError, InvalidOperationError, NotFoundError } from '../../domain/errors';
import {
  DEFAULT_SCENARIO,
  type LabelDefinition,
  SCENARIOS_KEY,
  checkScenariosSchema,
  scenarioNames,
  scenariosSchema,
} from '../../domain/label-definitions';
import type { LabelDefinitionRepository } from '../../store/label-definitions';

/** What a caller gives to create or update a definition: `schema` is stringified JSON. */
export interface LabelDefinitionInput {
  readonly key: string;
  readonly schema?: string | null;
}

const LABEL_KEY = /^[a-zA-Z0-9_]{1,256}$/;

/**
 * Label definitions and the validation of every label value against them (JSON Schema via
 * ajv). The `scenarios` definition exists in every tenant (created on first read) and always
 * keeps DEFAULT. Setting a label with an undefined key creates its definition without schema.
 */
export class LabelDefinitionService {
  private readonly ajv = new Ajv({ allErrors: true, strict: false });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly repo: LabelDefinitionRepository) {}

  async get(tenantId: string, key: string): Promise<LabelDefinition | undefined> {
    const def = await this.repo.get(tenantId, key);
    if (def || key !== SCENARIOS_KEY) return def;
    return this.repo.ensure({ tenantId, key, schema: scenariosSchema([DEFAULT_SCENARIO]) });
  }

  async list(tenantId: string): Promise<LabelDefinition[]> {
    await this.get(tenantId, SCENARIOS_KEY);
    return this.repo.list(tenantId);
  }

  /** The tenant's scenario names. */
  async scenarios(tenantId: string): Promise<string[]> {
    return scenarioNames(await this.get(tenantId, SCENARIOS_KEY));
  }

  async create(tenantId: string, input: LabelDefinitionInput): Promise<LabelDefinition> {
    const def = this.parse(tenantId, input);
    await this.checkExistingLabels(def);
    if (def.key === SCENARIOS_KEY && (await this.repo.get(tenantId, SCENARIOS_KEY))) {
      throw new InvalidOperationError('the scenarios label definition exists already; update it');
    }
    return this.repo.insert(def);
  }

  /** Replaces the schema; refused when a label in use would no longer be valid. */
  async update(tenantId: string, input: LabelDefinitionInput): Promise<LabelDefinition> {
    const def = this.parse(tenantId, input);
    if (!(await this.get(tenantId, def.key))) throw new NotFoundError('labelDefinition', def.key);
    await this.checkExistingLabels(def);
    return this.repo.put(def);
  }

  /**
   * Deletes a definition. Labels using it are removed with `deleteRelatedLabels`; otherwise a
   * definition still in use is refused. The scenarios definition cannot be deleted.
   */
  async delete(tenantId: string, key: string, deleteRelatedLabels: boolean): Promise<LabelDefinition> {
    const def = await this.get(tenantId, key);
    if (!def) throw new NotFoundError('labelDefinition', key);
    if (key === SCENARIOS_KEY)
      throw new InvalidOperationError('the scenarios label definition cannot be deleted');
    if (deleteRelatedLabels) await this.repo.deleteLabels(tenantId, key);
    else if (await this.repo.isUsed(tenantId, key)) {
      throw new InvalidOperationError('label definition is used by labels', { key });
    }
    await this.repo.delete(tenantId, key);
    return def;
  }

  /**
   * Checks a label value against its definition before it is written; an unknown key gets a
   * definition without schema.
   */
  async validateLabel(tenantId: string, key: string, value: unknown): Promise<void> {
    if (!LABEL_KEY.test(key))
      throw new InvalidDataError('Label', { key: 'must be 1-256 letters, digits or underscores' });
    const def = await this.get(tenantId, key);
    if (!def) {
      await this.repo.ensure({ tenantId, key });
      return;
    }
    const problem = this.problemWith(def, value);
    if (problem) throw new InvalidDataError('Label', { [key]: problem });
  }

  /**
   * Checks every label of one input before anything is written, then creates the definitions
   * of unknown keys: an invalid label leaves the tenant's definitions unchanged.
   */
  async validateLabels(tenantId: string, labels: Readonly<Record<string, unknown>>): Promise<void> {
    const problems: Record<string, string> = {};
    const undefinedKeys: string[] = [];
    for (const [key, value] of Object.entries(labels)) {
      if (!LABEL_KEY.test(key)) {
        problems[key] = 'key must be 1-256 letters, digits or underscores';
        continue;
      }
      const def = await this.get(tenantId, key);
      if (!def) undefinedKeys.push(key);
      else {
        const problem = this.problemWith(def, value);
        if (problem) problems[key] = problem;
      }
    }
    if (Object.keys(problems).length > 0) throw new InvalidDataError('Label', problems);
    for (const key of undefinedKeys) await this.repo.ensure({ tenantId, key });
  }

  private parse(tenantId: string, input: LabelDefinitionInput): LabelDefinition {
    if (!LABEL_KEY.test(input.key)) {
      throw new InvalidDataError('LabelDefinitionInput', {
        key: 'must be 1-256 letters, digits or underscores',
      });
    }
    if (input.schema == null || input.schema === '') {
      if (input.key === SCENARIOS_KEY) checkScenariosSchema(undefined);
      return { tenantId, key: input.key };
    }
    let schema: unknown;
    try {
      schema = JSON.parse(input.schema);
    } catch {
      throw new InvalidDataError('LabelDefinitionInput', { schema: 'must be stringified JSON' });
    }
    if (
      typeof schema !== 'object' ||
      schema === null ||
      Array.isArray(schema) ||
      !this.ajv.validateSchema(schema)
    ) {
      throw new InvalidDataError('LabelDefinitionInput', { schema: 'must be a valid JSON Schema' });
    }
    if (input.key === SCENARIOS_KEY) checkScenariosSchema(schema);
    return { tenantId, key: input.key, schema: schema as Record<string, unknown> };
  }

  private async checkExistingLabels(def: LabelDefinition): Promise<void> {
    if (!def.schema) return;
    for (const value of await this.repo.labelValues(def.tenantId, def.key)) {
      const problem = this.problemWith(def, value);
      if (problem) {
        throw new InvalidOperationError('labels in use do not satisfy the new schema', {
          key: def.key,
          problem,
        });
      }
    }
  }

  private problemWith(def: LabelDefinition, value: unknown): string | undefined {
    if (!def.schema) return undefined;
    const text = JSON.stringify(def.schema);
    let validate = this.compiled.get(text);
    if (!validate) this.compiled.set(text, (validate = this.ajv.compile(def.schema)));
    if (validate(value)) return undefined;
    return (validate.errors ?? [])
      .map((e) => `${e.instancePath || 'value'} ${e.message ?? 'is invalid'}`)
      .join(', ');
  }
}
