import {
  type APIDefinitionContent,
  type DocumentContent,
  type EventDefinitionContent,
  checkAPIDefinitionInput,
  checkDocumentInput,
  checkEventDefinitionInput,
} from './api-definitions';
import { type Auth, checkAuthInput } from './auth';
import type { Page } from './pagination';
import { FieldErrors, checkKnownKeys, checkOptionalString } from './validation';

/** Where every bundle child lives: its tenant, application and bundle. */
export interface BundleChildRef {
  readonly id: string;
  readonly tenantId: string;
  readonly applicationId: string;
  readonly bundleId: string;
  readonly createdAt: string;
}

export type APIDefinition = BundleChildRef & APIDefinitionContent;
export type EventDefinition = BundleChildRef & EventDefinitionContent;
export type Document = BundleChildRef & DocumentContent;

/** A bundle's own fields, as validated from BundleCreateInput/BundleUpdateInput. */
export interface BundleContent {
  readonly name: string;
  readonly description?: string;
  /** Stringified JSON Schema, kept as given (its keys, like `$schema`, are not stored as keys). */
  readonly instanceAuthRequestInputSchema?: string;
  readonly defaultInstanceAuth?: Auth;
}

/** A group of API and event definitions and documents of one application. */
export interface Bundle extends BundleContent {
  readonly id: string;
  readonly tenantId: string;
  readonly applicationId: string;
  readonly createdAt: string;
  /** Its content's IDs in creation order: how its content is read. */
  readonly apiDefinitionIds?: readonly string[];
  readonly eventDefinitionIds?: readonly string[];
  readonly documentIds?: readonly string[];
}

/** A validated BundleCreateInput: the bundle's fields and the content created with it. */
export interface BundleCreateContent extends BundleContent {
  readonly apiDefinitions: readonly APIDefinitionContent[];
  readonly eventDefinitions: readonly EventDefinitionContent[];
  readonly documents: readonly DocumentContent[];
}

/**
 * A BundleCreateInput as the client sent it (GraphQL shape); {@link checkBundleCreateInput}
 * validates it. Registrations carry it unchanged to the application workflow.
 */
export type BundleCreateInput = Readonly<Record<string, unknown>>;

/** Bundles with all their children, flattened, with IDs: what a nested registration writes. */
export interface BundleTree {
  readonly bundles: readonly Bundle[];
  readonly apiDefinitions: readonly APIDefinition[];
  readonly eventDefinitions: readonly EventDefinition[];
  readonly documents: readonly Document[];
}

export type BundlePage = Page<Bundle>;
export type APIDefinitionPage = Page<APIDefinition>;
export type EventDefinitionPage = Page<EventDefinition>;
export type DocumentPage = Page<Document>;

const UPDATE_KEYS = ['name', 'description', 'instanceAuthRequestInputSchema', 'defaultInstanceAuth'];
const CREATE_KEYS = [...UPDATE_KEYS, 'apiDefinitions', 'eventDefinitions', 'documents'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkBundleFields(errors: FieldErrors, p: string, raw: Record<string, unknown>): BundleContent {
  const name = raw.name;
  if (typeof name !== 'string' || name.trim() === '') errors.add(`${p}name`, 'cannot be blank');
  else if (!/^[\x20-\x7e]*$/.test(name))
    errors.add(`${p}name`, 'must contain only printable ASCII characters');
  else checkOptionalString(errors, `${p}name`, name, 100);
  checkOptionalString(errors, `${p}description`, raw.description, 2000);
  const schema = raw.instanceAuthRequestInputSchema;
  if (schema != null) {
    let parsed: unknown;
    try {
      parsed = typeof schema === 'string' ? JSON.parse(schema) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!isObject(parsed))
      errors.add(`${p}instanceAuthRequestInputSchema`, 'must be a stringified JSON object');
  }
  const auth = checkAuthInput(errors, `${p}defaultInstanceAuth`, raw.defaultInstanceAuth);
  return {
    name: typeof name === 'string' ? name : '',
    ...(raw.description != null && { description: raw.description as string }),
    ...(schema != null && { instanceAuthRequestInputSchema: schema as string }),
    ...(auth && { defaultInstanceAuth: auth }),
  };
}

function list<T>(
  errors: FieldErrors,
  field: string,
  raw: unknown,
  check: (errors: FieldErrors, field: string, item: unknown, now: string) => T,
  now: string,
): T[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    errors.add(field, 'must be a list');
    return [];
  }
  return raw.map((item, i) => check(errors, `${field}[${i}]`, item, now));
}

/** Validates one BundleCreateInput under `field` ('' for a top-level input), with its children. */
export function checkBundleCreateInput(
  errors: FieldErrors,
  field: string,
  raw: unknown,
  now: string,
): BundleCreateContent {
  const p = field ? `${field}.` : '';
  if (!isObject(raw)) {
    errors.add(field || 'input', 'must be an object');
    return { name: '', apiDefinitions: [], eventDefinitions: [], documents: [] };
  }
  checkKnownKeys(errors, raw, CREATE_KEYS);
  return {
    ...checkBundleFields(errors, p, raw),
    apiDefinitions: list(errors, `${p}apiDefinitions`, raw.apiDefinitions, checkAPIDefinitionInput, now),
    eventDefinitions: list(
      errors,
      `${p}eventDefinitions`,
      raw.eventDefinitions,
      checkEventDefinitionInput,
      now,
    ),
    documents: list(errors, `${p}documents`, raw.documents, checkDocumentInput, now),
  };
}

/** Validates the `bundles` of an application registration; collects problems under `field`. */
export function checkBundleCreateInputs(
  errors: FieldErrors,
  field: string,
  raw: unknown,
  now: string,
): BundleCreateContent[] {
  return list(errors, field, raw, checkBundleCreateInput, now);
}

/** Validates a whole BundleCreateInput, throwing InvalidData with every problem. */
export function validateBundleCreateInput(raw: unknown, now: string): BundleCreateContent {
  const errors = new FieldErrors();
  const content = checkBundleCreateInput(errors, '', raw, now);
  errors.throwIfAny('BundleCreateInput');
  return content;
}

/** Validates a BundleUpdateInput (the bundle's own fields only), throwing InvalidData. */
export function validateBundleUpdateInput(raw: unknown): BundleContent {
  const errors = new FieldErrors();
  if (!isObject(raw)) errors.add('input', 'must be an object');
  const input = isObject(raw) ? raw : {};
  checkKnownKeys(errors, input, UPDATE_KEYS);
  const content = checkBundleFields(errors, '', input);
  errors.throwIfAny('BundleUpdateInput');
  return content;
}

/** Validates an input with a `check*Input` function, throwing InvalidData named `inputName`. */
export function validateChildInput<T>(
  inputName: string,
  check: (errors: FieldErrors, field: string, raw: unknown, now: string) => T,
  raw: unknown,
  now: string,
): T {
  const errors = new FieldErrors();
  const content = check(errors, '', raw, now);
  errors.throwIfAny(inputName);
  return content;
}

/**
 * Gives every bundle and child of validated inputs its ID; `newId` is called in a fixed order,
 * so the same inputs and IDs always give the same tree.
 */
export function buildBundleTree(
  tenantId: string,
  applicationId: string,
  inputs: readonly BundleCreateContent[],
  newId: () => string,
  now: string,
): BundleTree {
  const tree = {
    bundles: [] as Bundle[],
    apiDefinitions: [] as APIDefinition[],
    eventDefinitions: [] as EventDefinition[],
    documents: [] as Document[],
  };
  for (const input of inputs) {
    const { apiDefinitions, eventDefinitions, documents, ...fields } = input;
    const bundle: Bundle = { id: newId(), tenantId, applicationId, createdAt: now, ...fields };
    tree.bundles.push(bundle);
    const ref = () => ({ id: newId(), tenantId, applicationId, bundleId: bundle.id, createdAt: now });
    for (const api of apiDefinitions) tree.apiDefinitions.push({ ...ref(), ...api });
    for (const event of eventDefinitions) tree.eventDefinitions.push({ ...ref(), ...event });
    for (const doc of documents) tree.documents.push({ ...ref(), ...doc });
  }
  return tree;
}

/**
 * The tree a registration's `bundles` produce: validated (InvalidData naming
 * ApplicationRegisterInput otherwise), then given IDs by `newId`.
 */
export function newBundleTree(
  tenantId: string,
  applicationId: string,
  bundles: readonly BundleCreateInput[] | undefined,
  newId: () => string,
  now: string,
): BundleTree {
  const errors = new FieldErrors();
  const inputs = checkBundleCreateInputs(errors, 'bundles', bundles, now);
  errors.throwIfAny('ApplicationRegisterInput');
  return buildBundleTree(tenantId, applicationId, inputs, newId, now);
}

/** True when the tree holds nothing to write. */
export function isEmptyTree(tree: BundleTree): boolean {
  return tree.bundles.length === 0;
}
