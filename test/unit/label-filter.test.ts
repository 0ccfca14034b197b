import { InvalidDataError } from '../../domain/errors';
import { jsonContains, parseLabelFilter } from '../../domain/label-filter';

describe('label filter syntax', () => {
  it('reads the scenarios JSON-path subset as any-of', () => {
    expect(parseLabelFilter({ key: 'scenarios', query: '$[*] ? (@ == "A" || @ == "B c")' })).toEqual({
      kind: 'anyOf',
      key: 'scenarios',
      values: ['A', 'B c'],
    });
  });

  it.each([
    [
      'scenarios',
      '$[*] ? (@ != "A")',
      'for the scenarios label, only $[*] ? (@ == "A" || @ == "B") is supported',
    ],
    ['scenarios', '"A"', 'for the scenarios label, only $[*] ? (@ == "A" || @ == "B") is supported'],
    ['region', '{not json', 'must be a JSON value for key region'],
    ['region', '{"$where": 1}', "object keys may not be empty, start with '$' or contain '.'"],
    ['region', '[{"a": 1}]', 'arrays in a query may hold only scalar values'],
  ])('refuses %s query %s with a clear message', (key, query, problem) => {
    expect(() => parseLabelFilter({ key, query })).toThrow(
      new InvalidDataError('LabelFilter', { query: problem }),
    );
  });

  it('refuses a bad key', () => {
    expect(() => parseLabelFilter({ key: 'a.b' })).toThrow(InvalidDataError);
  });

  it('has PostgreSQL containment semantics', () => {
    expect(jsonContains(['a', 'b'], 'a')).toBe(true);
    expect(jsonContains(['a', 'b'], ['b', 'a'])).toBe(true);
    expect(jsonContains({ x: { y: 1, z: 2 } }, { x: { y: 1 } })).toBe(true);
    expect(jsonContains({ x: 1 }, { x: 2 })).toBe(false);
    expect(jsonContains('a', ['a'])).toBe(false);
  });
});
