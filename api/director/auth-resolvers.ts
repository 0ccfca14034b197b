import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { type MultiValueMap, serializeMultiValueMap } from '../../domain/auth';
import type { Resolvers } from '../generated/graphql';

/**
 * A map written as a JSON string. Only its string-ness is checked here; what the JSON holds is
 * validated with the rest of the input (domain/auth), so a bad one is InvalidData naming its field.
 */
function serializedMapScalar(name: string): GraphQLScalarType {
  const parse = (v: unknown) => {
    if (typeof v !== 'string') throw new GraphQLError(`${name} must be a string`);
    return v;
  };
  return new GraphQLScalarType({
    name,
    serialize: (v) => v,
    parseValue: parse,
    parseLiteral: (node) => {
      if (node.kind !== Kind.STRING) throw new GraphQLError(`${name} must be a string`);
      return node.value;
    },
  });
}

/** The `…Serialized` output fields, derived from the maps the auth stores. */
const serializedFields = {
  additionalHeadersSerialized: (auth: { additionalHeaders?: MultiValueMap | null }) =>
    serializeMultiValueMap(auth.additionalHeaders ?? undefined),
  additionalQueryParamsSerialized: (auth: { additionalQueryParams?: MultiValueMap | null }) =>
    serializeMultiValueMap(auth.additionalQueryParams ?? undefined),
};

/**
 * Auth as Compass shows it: the serialized map scalars and fields beside the maps. A fetch
 * request's credentials are not shown to runtimes and integration systems, whose default scopes
 * in Compass lack `fetch-request.auth:read` (they read an application's specs, not its secrets).
 */
export const authResolvers: Resolvers = {
  HttpHeadersSerialized: serializedMapScalar('HttpHeadersSerialized'),
  QueryParamsSerialized: serializedMapScalar('QueryParamsSerialized'),
  Auth: serializedFields,
  CSRFTokenCredentialRequestAuth: serializedFields,
  FetchRequest: {
    auth: (request, _args, ctx) => {
      const kind = ctx.identity?.kind;
      return kind === 'RUNTIME' || kind === 'INTEGRATION_SYSTEM' ? null : (request.auth ?? null);
    },
  },
};
