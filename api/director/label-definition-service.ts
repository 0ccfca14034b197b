import { InvalidDataError, InvalidOperationError, NotFoundError } from '../../domain/errors';
import {
  CANNOT_BE_BLANK,
  INVALID_FORMAT,
  LABEL_DEFINITION_IN_USE,
  SCENARIOS_DEFINITION_NOT_DELETABLE,
  SCENARIOS_SCHEMA_REQUIRED,
  invalidSchema,
  invalidScenariosSchema,
  labelInvalidAgainstNewSchema,
  labelValueInvalid,
  lengthNoMoreThan,
} from '../../domain/error-texts';
import { goJson, goValue } from '../../domain/go-values';
import {
  DEFAULT_SCENARIO,
  type LabelDefinition,
  SCENARIOS_KEY,
  SCENARIOS_SCHEMA_RULES,
  scenarioNames,
  scenariosSchema,
} from '../../domain/label-definitions';
import { checkLabels, labelKeyProblem } from '../../domain/labels';
import { FieldErrors } from '../../domain/validation';
import type { LabelDefinitionRepository } from '../../store/label-definitions';
import { JsonSchemaValidator } from './json-schema';

/** What a caller gives to create or update a definition: `schema` is stringified JSON. */
export interface LabelDefinitionInput {
  readonly key: string;
  readonly schema?: string | null;
}

const DEFINITION_KEY = /^[a-zA-Z0-9_]*$/;
const MAX_KEY_LENGTH = 256;

/**
 * Label definitions and the validation of every label value against them (JSON Schema).
 * As in Compass, a tenant's `scenarios` definition (DEFAULT only) is created the first time
 * something reads it or uses the label, always keeps DEFAULT and cannot be deleted. Setting
 * a label with an undefined key creates its definition without schema.
 */
export class LabelDefinitionService {
  private readonly schemas = new JsonSchemaValidator();

  constructor(private readonly repo: LabelDefinitionRepository) {}

  /** The definition of `key`; asking for `scenarios` creates the tenant's one. */
  async get(tenantId: string, key: string): Promise<LabelDefinition | undefined> {
    if (key === SCENARIOS_KEY) return this.scenariosDefinition(tenantId);
    return this.repo.get(tenantId, key);
  }

  /** The tenant's definitions, without creating any. */
  list(tenantId: string): Promise<LabelDefinition[]> {
    return this.repo.list(tenantId);
  }

  /** The tenant's scenario names. */
  async scenarios(tenantId: string): Promise<string[]> {
    return scenarioNames(await this.scenariosDefinition(tenantId));
  }

  async create(tenantId: string, input: LabelDefinitionInput): Promise<LabelDefinition> {
    return this.repo.insert(this.parse(tenantId, input));
  }

  /** Replaces the schema; refused when a label in use would no longer be valid. */
  async update(tenantId: string, input: LabelDefinitionInput): Promise<LabelDefinition> {
    const def = this.parse(tenantId, input);
    if (!(await this.get(tenantId, def.key))) throw new NotFoundError('labelDefinition', def.key);
    await this.checkLabelsInUse(def);
    return this.repo.put(def);
  }

  /**
   * Deletes a definition. Labels using it are removed with `deleteRelatedLabels`; otherwise a
   * definition still in use is refused. The scenarios definition cannot be deleted.
   */
  async delete(tenantId: string, key: string, deleteRelatedLabels: boolean): Promise<LabelDefinition> {
    if (key === SCENARIOS_KEY) throw new InvalidOperationError(SCENARIOS_DEFINITION_NOT_DELETABLE);
    const def = await this.repo.get(tenantId, key);
    if (!def) throw new NotFoundError('labelDefinition', key);
    if (deleteRelatedLabels) await this.repo.deleteLabels(tenantId, key);
    else if (await this.repo.isUsed(tenantId, key)) throw new InvalidOperationError(LABEL_DEFINITION_IN_USE);
    await this.repo.delete(tenantId, key);
    return def;
  }

  /**
   * Checks one label (a LabelInput: key and value) before it is written; an unknown key gets
   * a definition without schema.
   */
  async validateLabel(tenantId: string, key: string, value: unknown): Promise<void> {
    const problem = labelKeyProblem(key);
    if (problem) throw new InvalidDataError('LabelInput', { key: problem });
    const errors = new FieldErrors();
    checkLabels(errors, 'value', { [key]: value });
    errors.throwIfAny('Label');
    await this.validateLabels(tenantId, { [key]: value });
  }

  /**
   * Checks every label of one input before anything is written, then creates the definitions
   * of unknown keys: an invalid label leaves the tenant's definitions unchanged. The first
   * invalid value is reported, in Compass's words.
   */
  async validateLabels(tenantId: string, labels: Readonly<Record<string, unknown>>): Promise<void> {
    const undefinedKeys: string[] = [];
    for (const [key, value] of Object.entries(labels)) {
      const keyProblem = labelKeyProblem(key);
      if (keyProblem) throw new InvalidDataError('LabelInput', { key: keyProblem });
      const def = await this.get(tenantId, key);
      if (!def) {
        undefinedKeys.push(key);
        continue;
      }
      const problems = def.schema && this.schemas.problems(def.schema, value);
      if (problems) {
        throw new InvalidDataError('', {
          reason: labelValueInvalid(goValue(value), key, goJson(def.schema), problems),
        });
      }
    }
    for (const key of undefinedKeys) await this.repo.ensure({ tenantId, key });
  }

  private async scenariosDefinition(tenantId: string): Promise<LabelDefinition> {
    return (
      (await this.repo.get(tenantId, SCENARIOS_KEY)) ??
      this.repo.ensure({ tenantId, key: SCENARIOS_KEY, schema: scenariosSchema([DEFAULT_SCENARIO]) })
    );
  }

  /** Compass's LabelDefinitionInput rules: `key`, then the schema under `rule.validSchema`. */
  private parse(tenantId: string, input: LabelDefinitionInput): LabelDefinition {
    const errors = new FieldErrors();
    const key = input.key;
    if (key === '') errors.add('key', CANNOT_BE_BLANK);
    else if ([...key].length > MAX_KEY_LENGTH) errors.add('key', lengthNoMoreThan(MAX_KEY_LENGTH));
    else if (!DEFINITION_KEY.test(key)) errors.add('key', INVALID_FORMAT);
    const schema = this.parseSchema(errors, key, input.schema);
    errors.throwIfAny('LabelDefinitionInput');
    return { tenantId, key, ...(schema !== undefined && { schema }) };
  }

  private parseSchema(
    errors: FieldErrors,
    key: string,
    text: string | null | undefined,
  ): Record<string, unknown> | undefined {
    const rule = 'rule.validSchema';
    if (text == null || text === '') {
      if (key === SCENARIOS_KEY) errors.add(rule, invalidScenariosSchema(SCENARIOS_SCHEMA_REQUIRED));
      return undefined;
    }
    let schema: unknown;
    try {
      schema = JSON.parse(text);
    } catch {
      return void errors.add(rule, invalidSchema(text, 'schema is not valid JSON'));
    }
    if (
      typeof schema !== 'object' ||
      schema === null ||
      Array.isArray(schema) ||
      !this.schemas.isSchema(schema)
    ) {
      return void errors.add(rule, invalidSchema(text, 'schema is invalid'));
    }
    if (key === SCENARIOS_KEY) {
      const problems = this.schemas.problems(SCENARIOS_SCHEMA_RULES, schema);
      if (problems) return void errors.add(rule, invalidScenariosSchema(problems));
    }
    return schema as Record<string, unknown>;
  }

  /** A new schema must accept every value the key already has. */
  private async checkLabelsInUse(def: LabelDefinition): Promise<void> {
    if (!def.schema) return;
    for (const use of await this.repo.labelsWithKey(def.tenantId, def.key)) {
      const problems = this.schemas.problems(def.schema, use.value);
      if (problems) {
        throw new InvalidDataError('', {
          reason: labelInvalidAgainstNewSchema(def.key, use.objectType, use.objectId, problems),
        });
      }
    }
  }
}
