import { validateApplicationTemplateInput } from '../../domain/application-template';
import {
  placeholderReferences,
  resolveTemplateValues,
  substitutePlaceholders,
} from '../../domain/template-placeholders';
import { invalidDataOf } from '../fixtures/errors';

describe('placeholder substitution', () => {
  it('replaces every reference, repeated ones included', () => {
    const json = JSON.stringify({ name: '{{name}}', description: '{{name}} by {{vendor}}' });
    const out = substitutePlaceholders(
      json,
      new Map([
        ['name', 'erp'],
        ['vendor', 'ACME'],
      ]),
    );
    expect(JSON.parse(out)).toEqual({ name: 'erp', description: 'erp by ACME' });
  });

  it('keeps the result valid JSON whatever a value holds', () => {
    const json = JSON.stringify({ description: 'says {{quote}}' });
    const value = 'a "quoted" \\ back\nslash }} {{name}}';
    const out = substitutePlaceholders(json, new Map([['quote', value]]));
    expect(JSON.parse(out)).toEqual({ description: `says ${value}` });
  });

  it('substitutes in label keys as well as values', () => {
    const json = JSON.stringify({ labels: { '{{key}}': ['{{value}}'] } });
    const out = substitutePlaceholders(
      json,
      new Map([
        ['key', 'region'],
        ['value', 'eu'],
      ]),
    );
    expect(JSON.parse(out)).toEqual({ labels: { region: ['eu'] } });
  });

  it('lists the distinct placeholders a text refers to', () => {
    expect(placeholderReferences('{{a}}-{{b}}-{{a}} {{}} {x}')).toEqual(['a', 'b', '']);
  });
});

describe('template values', () => {
  it('returns one value per declared placeholder', () => {
    expect(
      resolveTemplateValues(
        ['name', 'url'],
        [
          { placeholder: 'url', value: 'https://x' },
          { placeholder: 'name', value: 'erp' },
        ],
      ),
    ).toEqual(
      new Map([
        ['url', 'https://x'],
        ['name', 'erp'],
      ]),
    );
  });

  it('requires a value for every declared placeholder', () => {
    expect(
      invalidDataOf(() => resolveTemplateValues(['name', 'url'], [{ placeholder: 'name', value: 'a' }])),
    ).toBe('Invalid data ApplicationFromTemplateInput [values.url=is required]');
    expect(invalidDataOf(() => resolveTemplateValues(['name'], null))).toBe(
      'Invalid data ApplicationFromTemplateInput [values.name=is required]',
    );
  });

  it('refuses values for unknown placeholders and repeated values', () => {
    expect(
      invalidDataOf(() =>
        resolveTemplateValues(
          ['name'],
          [
            { placeholder: 'name', value: 'a' },
            { placeholder: 'name', value: 'b' },
            { placeholder: 'other', value: 'c' },
          ],
        ),
      ),
    ).toBe(
      'Invalid data ApplicationFromTemplateInput [values.name=is given more than once; values.other=is not a placeholder of the template]',
    );
  });
});

describe('application template validation', () => {
  const valid = {
    name: 'SAP ERP',
    description: 'An ERP',
    applicationInput: {
      name: '{{name}}',
      healthCheckURL: 'https://{{host}}/health',
      labels: { l: '{{host}}' },
    },
    placeholders: [{ name: 'name', description: 'The name' }, { name: 'host' }],
    accessLevel: 'GLOBAL',
  };

  it('stores the application input as JSON text with its references', () => {
    expect(validateApplicationTemplateInput(valid)).toEqual({
      name: 'SAP ERP',
      description: 'An ERP',
      applicationInput: JSON.stringify(valid.applicationInput),
      placeholders: [{ name: 'name', description: 'The name' }, { name: 'host' }],
      accessLevel: 'GLOBAL',
    });
  });

  it('refuses references to undeclared placeholders', () => {
    expect(
      invalidDataOf(() => validateApplicationTemplateInput({ ...valid, placeholders: [{ name: 'name' }] })),
    ).toBe('Invalid data ApplicationTemplateInput [applicationInput.{{host}}=is not a declared placeholder]');
  });

  it('refuses an application input that no value could make valid', () => {
    const input = {
      ...valid,
      applicationInput: { name: `${'n'.repeat(36)}{{name}}`, healthCheckURL: 'ftp://{{host}}' },
    };
    expect(invalidDataOf(() => validateApplicationTemplateInput(input))).toBe(
      'Invalid data ApplicationTemplateInput [applicationInput.name=the length must be between 1 and 36; applicationInput.healthCheckURL=must be a valid URL]',
    );
  });

  it('refuses bad and repeated placeholder names, a blank name and a missing access level', () => {
    const input = {
      name: ' ',
      applicationInput: { name: 'erp' },
      placeholders: [{ name: 'a b' }, { name: 'ok' }, { name: 'ok' }],
    };
    expect(invalidDataOf(() => validateApplicationTemplateInput(input))).toBe(
      'Invalid data ApplicationTemplateInput [name=cannot be blank; accessLevel=cannot be blank; placeholders[0].name=must be 1-36 letters, digits, underscores or dashes; placeholders[2].name=is declared more than once]',
    );
  });
});
