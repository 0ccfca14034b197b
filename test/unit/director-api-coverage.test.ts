import { buildASTSchema, type GraphQLObjectType } from 'graphql';
import { mergeTypeDefs } from '@graphql-tools/merge';
import scopes from '../../api/auth/scopes.json';
import { loadTypeDefs } from '../../api/server';

/** Classic operations that belong to later work. */
const NOT_YET: string[] = [];

const schema = buildASTSchema(mergeTypeDefs([loadTypeDefs()]));
const fieldsOf = (type: GraphQLObjectType | null | undefined) => Object.keys(type?.getFields() ?? {}).sort();

describe('the Director API', () => {
  it.each([
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
  ] as const)(
    'offers every classic %s (Bundle names) and names a scope for each of its operations',
    (kind, type) => {
      const configured = Object.keys(scopes[kind]).sort();
      const served = fieldsOf(type);
      expect(configured.filter((op) => !served.includes(op) && !NOT_YET.includes(op))).toEqual([]);
      expect(served.filter((op) => !configured.includes(op))).toEqual([]);
    },
  );
});
