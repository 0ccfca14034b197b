import { JsonSchemaValidator } from '../../api/director/json-schema';
import { goJson, goValue } from '../../domain/go-values';

describe('values printed as Compass prints them', () => {
  it.each([
    [123, '123'],
    [1.5, '1.5'],
    ['eu', 'eu'],
    [true, 'true'],
    [null, '<nil>'],
    [['a', 'b'], '[a b]'],
    [{ z: 1, a: ['x'] }, 'map[a:[x] z:1]'],
  ])("%j reads %s (Go's %+v)", (value, printed) => {
    expect(goValue(value)).toBe(printed);
  });

  it("marshals JSON with sorted keys and <, >, & escaped (Go's json.Marshal)", () => {
    expect(goJson({ type: 'string', pattern: '<a&b>', enum: ['x'] })).toBe(
      '{"enum":["x"],"pattern":"\\u003ca\\u0026b\\u003e","type":"string"}',
    );
  });
});

describe('JSON Schema failures in gojsonschema words', () => {
  const validator = new JsonSchemaValidator();

  it.each([
    [{ type: 'object', required: ['foo'] }, {}, '(root): foo is required'],
    [
      { type: ['string', 'null'], enum: ['x'] },
      5,
      '(root): Invalid type. Expected: [string,null], given: integer',
    ],
    [{ type: 'integer' }, 1.5, '(root): Invalid type. Expected: integer, given: number'],
    [
      { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false },
      { a: 'x', b: 1 },
      '(root): Additional property b is not allowed',
    ],
    [
      { type: 'array', uniqueItems: true },
      ['a', 'b', 'a', 'a'],
      '(root): array items[0,2] must be unique, (root): array items[2,3] must be unique',
    ],
    [{ type: 'array', minItems: 1 }, [], '(root): Array must have at least 1 items'],
    [{ type: 'string', maxLength: 2 }, 'abc', '(root): String length must be less than or equal to 2'],
    [{ type: 'number', minimum: 5 }, 4, '(root): Must be greater than or equal to 5'],
    [
      { type: 'array', contains: { const: 'DEFAULT' } },
      ['a', 'b'],
      '(root): At least one of the items must match, 0: 0 does not match: "DEFAULT"',
    ],
    [{ items: { enum: ['A', 'B'] } }, ['C'], '0: 0 must be one of the following: "A", "B"'],
  ])('%j refuses %j: %s', (schema, value, text) => {
    expect(validator.problems(schema, value)).toBe(text);
  });

  it('finds nothing wrong with a value the schema accepts', () => {
    expect(validator.problems({ type: 'string' }, 'ok')).toBeUndefined();
  });
});
