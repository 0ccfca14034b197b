import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { OperationType } from '../../domain/provisioning';
import type { Resolvers } from '../generated/provisioner';
import { scalarResolvers } from '../scalars';

/** JSON from a literal or a variable, as given. */
function literal(node: ValueNode, vars?: Record<string, unknown> | null): unknown {
  switch (node.kind) {
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((f) => [f.name.value, literal(f.value, vars)]));
    case Kind.LIST:
      return node.values.map((v) => literal(v, vars));
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.STRING:
    case Kind.ENUM:
      return node.value;
    case Kind.BOOLEAN:
      return node.value;
    case Kind.VARIABLE:
      return vars?.[node.name.value];
    default:
      return null;
  }
}

const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value.',
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: (node, vars) => literal(node, vars),
});

/** Provisioner resolvers: thin; the service validates and decides, the tenant comes from the request. */
export const provisionerResolvers: Resolvers = {
  JSON: JSONScalar,
  Labels: scalarResolvers.Labels,
  Query: {
    runtimeStatus: async (_, { id }, ctx) => ctx.services.provisioner.status(await ctx.tenant(), id),
    runtimeOperationStatus: async (_, { id }, ctx) =>
      ctx.services.provisioner.operation(await ctx.tenant(), id),
    runtimeOperations: async (_, { id }, ctx) => ctx.services.provisioner.operations(await ctx.tenant(), id),
    providers: (_, __, ctx) =>
      ctx.services.provisioner.providers().map((p) => ({ ...p, operations: [...p.operations] })),
  },
  Mutation: {
    provisionRuntime: async (_, { config }, ctx) =>
      ctx.services.provisioner.provision(await ctx.tenant(), config),
    upgradeRuntime: async (_, { id, config }, ctx) =>
      ctx.services.provisioner.upgrade(await ctx.tenant(), id, config),
    deprovisionRuntime: async (_, { id }, ctx) =>
      (await ctx.services.provisioner.run(await ctx.tenant(), id, OperationType.Deprovision)).id,
    reconnectRuntimeAgent: async (_, { id }, ctx) =>
      (await ctx.services.provisioner.run(await ctx.tenant(), id, OperationType.ReconnectRuntime)).id,
    hibernateRuntime: async (_, { id }, ctx) =>
      ctx.services.provisioner.run(await ctx.tenant(), id, OperationType.Hibernate),
    wakeUpRuntime: async (_, { id }, ctx) =>
      ctx.services.provisioner.run(await ctx.tenant(), id, OperationType.WakeUp),
  },
  OperationStatus: {
    operation: (op) => op.type,
    runtimeID: (op) => op.runtimeId,
    compassRuntimeID: (op) => op.runtimeId,
    stages: (op) => [...op.stages],
  },
};
