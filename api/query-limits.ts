import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  getNamedType,
  getNullableType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  SchemaMetaFieldDef,
  type SelectionSetNode,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
} from 'graphql';
import type { BaseContext } from '@apollo/server';
import { AppError } from '../domain/errors';
import type { OperationCheck } from './operation-checks';

/**
 * How long a list without paging (`webhooks`, `auths`, `labelDefinitions`...) is assumed to
 * be: as long as the largest page, since nothing bounds it more tightly.
 */
export const UNPAGED_LIST_LENGTH = 200;

/** The limits an operation must stay within, each set by the configuration variable named. */
export interface QueryLimits {
  /** GRAPHQL_MAX_COST: the most fields an operation may resolve, counting every list as full. */
  readonly maxCost: number;
  /** GRAPHQL_MAX_DEPTH: the deepest nesting of fields (introspection included). */
  readonly maxDepth: number;
  /** GRAPHQL_MAX_ALIASES: the most aliased fields. */
  readonly maxAliases: number;
  /** GRAPHQL_MAX_DIRECTIVES: the most directives. */
  readonly maxDirectives: number;
}

/** What an operation would cost, with its fragments expanded. */
export interface OperationMeasure {
  /**
   * The most fields it could resolve: each field costs 1, and a list multiplies the cost of
   * its items by its length: the `first` argument of the paged field it belongs to (given, or
   * the schema's default), or {@link UNPAGED_LIST_LENGTH} for a list without paging.
   */
  readonly cost: number;
  readonly depth: number;
  readonly aliases: number;
  readonly directives: number;
}

/** Thrown when an operation exceeds one of the {@link QueryLimits}; names the limit and its variable. */
export class QueryLimitError extends AppError {
  constructor(what: string, measured: number, limit: number, variable: string) {
    super('InvalidData', `The operation exceeds the ${what} limit`, {
      [what]: String(measured),
      limit: String(limit),
      setting: variable,
    });
  }
}

/** Throws {@link QueryLimitError} for the first limit the operation exceeds. */
export function checkQueryLimits(limits: QueryLimits, measure: OperationMeasure): void {
  const checks: Array<[string, number, number, string]> = [
    ['depth', measure.depth, limits.maxDepth, 'GRAPHQL_MAX_DEPTH'],
    ['aliases', measure.aliases, limits.maxAliases, 'GRAPHQL_MAX_ALIASES'],
    ['directives', measure.directives, limits.maxDirectives, 'GRAPHQL_MAX_DIRECTIVES'],
    ['cost', measure.cost, limits.maxCost, 'GRAPHQL_MAX_COST'],
  ];
  for (const [what, measured, limit, variable] of checks) {
    if (measured > limit) throw new QueryLimitError(what, measured, limit, variable);
  }
}

/** The operation check refusing an operation over `limits` (after authorization: see `operationChecksPlugin`). */
export function queryLimitsCheck<C extends BaseContext>(limits: QueryLimits): OperationCheck<C> {
  return ({ schema, document, operation, request }) => {
    if (!operation) return;
    checkQueryLimits(limits, measureOperation(schema, document, operation, request.variables));
  };
}

/**
 * Measures a validated operation (fragment cycles are already refused). Each fragment is
 * measured once per page size it is spread under, so the work is linear in the document.
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>> = {},
): OperationMeasure {
  const root =
    operation.operation === 'query'
      ? schema.getQueryType()
      : operation.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  const defaults = new Map(
    (operation.variableDefinitions ?? []).map((d) => [d.variable.name.value, d.defaultValue]),
  );
  const measurer = new Measurer(schema, document, (name) => {
    if (typeof variables[name] === 'number') return variables[name];
    const fallback = defaults.get(name);
    return fallback?.kind === Kind.INT ? Number(fallback.value) : undefined;
  });
  const body = measurer.selectionSet(operation.selectionSet, root ?? undefined, undefined);
  return { ...body, directives: body.directives + (operation.directives?.length ?? 0) };
}

const LEAF: OperationMeasure = { cost: 1, depth: 1, aliases: 0, directives: 0 };

class Measurer {
  private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  private readonly measured = new Map<string, OperationMeasure>();

  constructor(
    private readonly schema: GraphQLSchema,
    document: DocumentNode,
    private readonly variable: (name: string) => number | undefined,
  ) {
    this.fragments = new Map(
      document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [])),
    );
  }

  /** `pageSize` is the `first` of the paged field this selection belongs to, if any. */
  selectionSet(
    set: SelectionSetNode,
    type: GraphQLNamedType | undefined,
    pageSize: number | undefined,
  ): OperationMeasure {
    let cost = 0;
    let depth = 0;
    let aliases = 0;
    let directives = 0;
    for (const selection of set.selections) {
      let part: OperationMeasure;
      if (selection.kind === Kind.FIELD) {
        part = this.field(selection, fieldDefinition(this.schema, type, selection.name.value), pageSize);
        if (selection.alias) aliases += 1;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? this.schema.getType(selection.typeCondition.name.value) : type;
        part = this.selectionSet(selection.selectionSet, on ?? undefined, pageSize);
      } else {
        part = this.fragment(selection.name.value, pageSize);
      }
      cost += part.cost;
      depth = Math.max(depth, part.depth);
      aliases += part.aliases;
      directives += part.directives + (selection.directives?.length ?? 0);
    }
    return { cost, depth, aliases, directives };
  }

  private fragment(name: string, pageSize: number | undefined): OperationMeasure {
    const key = `${name}:${pageSize ?? ''}`;
    const known = this.measured.get(key);
    if (known) return known;
    const definition = this.fragments.get(name);
    if (!definition) return { cost: 0, depth: 0, aliases: 0, directives: 0 };
    const on = this.schema.getType(definition.typeCondition.name.value) ?? undefined;
    const body = this.selectionSet(definition.selectionSet, on, pageSize);
    const measure = { ...body, directives: body.directives + (definition.directives?.length ?? 0) };
    this.measured.set(key, measure);
    return measure;
  }

  private field(
    node: FieldNode,
    definition: GraphQLField<unknown, unknown> | undefined,
    pageSize: number | undefined,
  ): OperationMeasure {
    if (!node.selectionSet) return LEAF;
    const first = definition && this.pageSize(node, definition);
    const list = definition !== undefined && isListType(getNullableType(definition.type));
    const length = list ? (first ?? pageSize ?? UNPAGED_LIST_LENGTH) : 1;
    const type = definition && getNamedType(definition.type);
    const items = this.selectionSet(node.selectionSet, type, list ? undefined : first);
    return {
      cost: 1 + length * items.cost,
      depth: 1 + items.depth,
      aliases: items.aliases,
      directives: items.directives,
    };
  }

  /** The field's `first` argument: given as a literal or variable, else the schema's default. */
  private pageSize(node: FieldNode, definition: GraphQLField<unknown, unknown>): number | undefined {
    const declared = definition.args.find((a) => a.name === 'first');
    if (!declared) return undefined;
    const value = node.arguments?.find((a) => a.name.value === 'first')?.value;
    const given =
      value?.kind === Kind.INT
        ? Number(value.value)
        : value?.kind === Kind.VARIABLE
          ? this.variable(value.name.value)
          : undefined;
    if (given !== undefined && Number.isInteger(given) && given >= 1) return given;
    return typeof declared.defaultValue === 'number' ? declared.defaultValue : undefined;
  }
}

function fieldDefinition(
  schema: GraphQLSchema,
  type: GraphQLNamedType | undefined,
  name: string,
): GraphQLField<unknown, unknown> | undefined {
  if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
  if (type && type === schema.getQueryType()) {
    if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
    if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
  }
  return type && (isObjectType(type) || isInterfaceType(type)) ? type.getFields()[name] : undefined;
}
