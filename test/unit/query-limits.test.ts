import { buildSchema, getOperationAST, parse } from 'graphql';
import {
  checkQueryLimits,
  measureOperation,
  type OperationMeasure,
  QueryLimitError,
  UNPAGED_LIST_LENGTH,
} from '../../api/query-limits';
import { loadConfig } from '../../infra/config';

/** Pages nested five deep, a list without paging, and a union. */
const schema = buildSchema(`
  type Query { folders(first: Int = 100, after: String): FolderPage! tags: [Tag!]! tag(id: ID!): Tag }
  type FolderPage { data: [Folder!]! totalCount: Int! pageInfo: PageInfo! }
  type PageInfo { endCursor: String! hasNextPage: Boolean! }
  type Folder { id: ID! name: String! children(first: Int = 100): FolderPage! tags: [Tag!] owner: Owner }
  type Tag { key: String! value: String }
  type User { name: String! }
  type Group { title: String! }
  union Owner = User | Group
`);

function measure(text: string, variables: Record<string, unknown> = {}): OperationMeasure {
  const document = parse(text);
  return measureOperation(schema, document, getOperationAST(document)!, variables);
}

const LIMITS = { maxCost: 1_000_000, maxDepth: 10, maxAliases: 3, maxDirectives: 2 };

describe('operation cost', () => {
  it('counts each field once outside lists', () => {
    expect(measure('{ tag(id: "a") { key value } }')).toEqual({
      cost: 3,
      depth: 2,
      aliases: 0,
      directives: 0,
    });
  });

  it("multiplies a page's items by its first argument, else by the schema's default", () => {
    // folders 1 + data (1 + n × (id + name)) + totalCount 1
    expect(measure('{ folders(first: 10) { data { id name } totalCount } }').cost).toBe(1 + 1 + 10 * 2 + 1);
    expect(measure('{ folders { data { id name } totalCount } }').cost).toBe(1 + 1 + 100 * 2 + 1);
    expect(measure('query($n: Int) { folders(first: $n) { data { id } } }', { n: 7 }).cost).toBe(1 + 1 + 7);
    expect(measure('query($n: Int = 3) { folders(first: $n) { data { id } } }').cost).toBe(1 + 1 + 3);
  });

  it('never lets a page size below 1 lower the cost', () => {
    const usual = measure('{ folders { data { id } } }').cost;
    expect(measure('{ folders(first: -5) { data { id } } }').cost).toBe(usual);
    expect(measure('query($n: Int) { folders(first: $n) { data { id } } }', { n: 0 }).cost).toBe(usual);
  });

  it('takes a list without paging as long as the largest page', () => {
    expect(measure('{ tags { key } }').cost).toBe(1 + UNPAGED_LIST_LENGTH);
  });

  it('multiplies nested pages, through fragments and union members', () => {
    const nested = `{ folders(first: 2) { data { ...F } } }
      fragment F on Folder { id children(first: 3) { data { id owner { ... on User { name } ... on Group { title } } } } }`;
    // folders 1 + data (1 + 2 × (id 1 + children (1 + data (1 + 3 × (id 1 + owner 3)))))
    expect(measure(nested).cost).toBe(1 + 1 + 2 * (1 + 1 + 1 + 3 * (1 + 3)));
  });

  it('measures each fragment once, however often it is spread', () => {
    const spread = (i: number) => `children { data { ...L${i + 1} } }`;
    const levels = Array.from(
      { length: 40 },
      (_, i) => `fragment L${i} on Folder { id ${i < 39 ? `x: ${spread(i)} y: ${spread(i)}` : ''} }`,
    );
    const m = measure(`{ folders { data { ...L0 } } } ${levels.join(' ')}`);
    expect(m.aliases).toBe(2 ** 40 - 2);
    expect(m.cost).toBeGreaterThan(1e90);
    expect(m.depth).toBe(2 + 39 * 2 + 1);
  });

  it('counts depth, aliases and directives with fragments expanded', () => {
    const m = measure(`query @x { a: folders { data { ...F ...F } } }
      fragment F on Folder @y { b: id name @include(if: true) }`);
    expect(m).toMatchObject({ depth: 3, aliases: 1 + 2, directives: 1 + 2 * 2 });
  });

  it('counts introspection like any other field', () => {
    const m = measure('{ __schema { types { name fields { name } } } __typename }');
    expect(m.cost).toBe(1 + 1 + UNPAGED_LIST_LENGTH * (1 + 1 + UNPAGED_LIST_LENGTH) + 1);
    expect(m.depth).toBe(4);
  });
});

describe('query limits', () => {
  it('accepts an operation at every limit', () => {
    expect(() =>
      checkQueryLimits(LIMITS, { cost: 1_000_000, depth: 10, aliases: 3, directives: 2 }),
    ).not.toThrow();
  });

  it.each([
    ['depth', { depth: 11 }, 'GRAPHQL_MAX_DEPTH', 'depth=11; limit=10'],
    ['aliases', { aliases: 4 }, 'GRAPHQL_MAX_ALIASES', 'aliases=4; limit=3'],
    ['directives', { directives: 3 }, 'GRAPHQL_MAX_DIRECTIVES', 'directives=3; limit=2'],
    ['cost', { cost: 1_000_001 }, 'GRAPHQL_MAX_COST', 'cost=1000001; limit=1000000'],
  ])(
    'refuses an operation over its %s limit as InvalidData, naming the limit and its variable',
    (what, over, variable, details) => {
      const measured = { cost: 1, depth: 1, aliases: 0, directives: 0, ...over };
      let err: unknown;
      try {
        checkQueryLimits(LIMITS, measured);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(QueryLimitError);
      expect(err).toMatchObject({
        name: 'InvalidData',
        code: 22,
        message: `The operation exceeds the ${what} limit [${details}; setting=${variable}]`,
      });
    },
  );

  it('refuses five nested pages of 200 under the default cost limit', () => {
    const { GRAPHQL_MAX_COST } = loadConfig({});
    const pages = (n: number): string =>
      n === 0 ? 'id' : `children(first: 200) { data { id ${pages(n - 1)} } }`;
    const cost = measure(`{ folders(first: 200) { data { ${pages(4)} } } }`).cost;
    expect(cost).toBeGreaterThan(GRAPHQL_MAX_COST);
  });
});
