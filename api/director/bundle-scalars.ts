import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import type { Resolvers } from '../generated/graphql';

function stringLiteral(node: ValueNode, variables: Record<string, unknown> | null | undefined, name: string) {
  if (node.kind === Kind.STRING) return node.value;
  if (node.kind === Kind.VARIABLE && typeof variables?.[node.name.value] === 'string') {
    return variables[node.name.value] as string;
  }
  throw new GraphQLError(`${name} must be a string`);
}

/** Header and query parameter maps: each name maps to a list of strings. */
function multiValueMap(name: string): GraphQLScalarType {
  const parse = (v: unknown) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      throw new GraphQLError(`${name} must be an object`);
    for (const values of Object.values(v)) {
      if (!Array.isArray(values) || values.some((x) => typeof x !== 'string')) {
        throw new GraphQLError(`${name} values must be lists of strings`);
      }
    }
    return v as Record<string, string[]>;
  };
  return new GraphQLScalarType({
    name,
    serialize: (v) => v,
    parseValue: parse,
    parseLiteral: (node, vars) => {
      if (node.kind !== Kind.OBJECT) throw new GraphQLError(`${name} must be an object`);
      return parse(
        Object.fromEntries(
          node.fields.map((f) => [
            f.name.value,
            f.value.kind === Kind.LIST ? f.value.values.map((x) => stringLiteral(x, vars, name)) : undefined,
          ]),
        ),
      );
    },
  });
}

/** Scalars of bundles and auths: CLOB (text bodies), HttpHeaders, QueryParams. */
export const bundleScalarResolvers: Resolvers = {
  CLOB: new GraphQLScalarType({
    name: 'CLOB',
    serialize: (v) => v,
    parseValue: (v) => {
      if (typeof v !== 'string') throw new GraphQLError('CLOB must be a string');
      return v;
    },
    parseLiteral: (node, vars) => stringLiteral(node, vars, 'CLOB'),
  }),
  HttpHeaders: multiValueMap('HttpHeaders'),
  QueryParams: multiValueMap('QueryParams'),
};
