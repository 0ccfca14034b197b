import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import type { Resolvers } from './generated/graphql';

/** JSON from a GraphQL literal (objects, lists, scalars; variables resolved by graphql-js). */
function literalToJson(node: ValueNode, variables?: Record<string, unknown> | null): unknown {
  switch (node.kind) {
    case Kind.NULL:
      return null;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.STRING:
    case Kind.ENUM:
      return node.value;
    case Kind.BOOLEAN:
      return node.value;
    case Kind.LIST:
      return node.values.map((v) => literalToJson(v, variables));
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((f) => [f.name.value, literalToJson(f.value, variables)]));
    case Kind.VARIABLE:
      return variables?.[node.name.value];
  }
}

function requireObject(value: unknown, scalar: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new GraphQLError(`${scalar} must be an object`);
  }
  return value as Record<string, unknown>;
}

function requireString(value: unknown, scalar: string): string {
  if (typeof value !== 'string') throw new GraphQLError(`${scalar} must be a string`);
  return value;
}

export const scalarResolvers: Resolvers = {
  Any: new GraphQLScalarType({
    name: 'Any',
    serialize: (v) => v,
    parseValue: (v) => v,
    parseLiteral: literalToJson,
  }),
  Labels: new GraphQLScalarType({
    name: 'Labels',
    serialize: (v) => v,
    parseValue: (v) => requireObject(v, 'Labels'),
    parseLiteral: (node, vars) => requireObject(literalToJson(node, vars), 'Labels'),
  }),
  JSONSchema: new GraphQLScalarType({
    name: 'JSONSchema',
    serialize: (v) => v,
    parseValue: (v) => requireString(v, 'JSONSchema'),
    parseLiteral: (node, vars) => requireString(literalToJson(node, vars), 'JSONSchema'),
  }),
  PageCursor: new GraphQLScalarType({
    name: 'PageCursor',
    serialize: (v) => v,
    parseValue: (v) => requireString(v, 'PageCursor'),
    parseLiteral: (node, vars) => requireString(literalToJson(node, vars), 'PageCursor'),
  }),
  Timestamp: new GraphQLScalarType({
    name: 'Timestamp',
    serialize: (v) => (v instanceof Date ? v.toISOString() : v),
    parseValue: (v) => requireString(v, 'Timestamp'),
    parseLiteral: (node, vars) => requireString(literalToJson(node, vars), 'Timestamp'),
  }),
};
