import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildASTSchema, type GraphQLObjectType } from 'graphql';
import { mergeTypeDefs } from '@graphql-tools/merge';
import scopes from '../../api/auth/scopes.json';
import { loadTypeDefs } from '../../api/server';

/** Classic operations that belong to later work. */
const NOT_YET: string[] = [];

const schema = buildASTSchema(mergeTypeDefs([loadTypeDefs()]));
/** The Provisioner's operations share the scope file; they are served at /provisioner/graphql. */
const provisioner = buildASTSchema(
  mergeTypeDefs([readFileSync(path.join(__dirname, '../../api/provisioner/provisioner.graphql'), 'utf8')]),
);
const fieldsOf = (type: GraphQLObjectType | null | undefined) => Object.keys(type?.getFields() ?? {}).sort();

describe('the Director API', () => {
  it.each([
    ['query', schema.getQueryType(), provisioner.getQueryType()],
    ['mutation', schema.getMutationType(), provisioner.getMutationType()],
  ] as const)(
    'offers every classic %s (Bundle names) and names a scope for each of its operations',
    (kind, type, provisionerType) => {
      const configured = Object.keys(scopes[kind]).sort();
      const served = [...fieldsOf(type), ...fieldsOf(provisionerType)];
      expect(configured.filter((op) => !served.includes(op) && !NOT_YET.includes(op))).toEqual([]);
      expect(served.filter((op) => !configured.includes(op))).toEqual([]);
    },
  );
});
