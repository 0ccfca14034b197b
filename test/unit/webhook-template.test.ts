import {
  checkTemplate,
  renderJsonTemplate,
  renderTemplate,
  TemplateError,
} from '../../domain/webhook-template';

const DATA = {
  Application: { ID: 'app-1' },
  Body: { error: 'say "no"', count: 3, ok: true, auth: { user: 'u' }, list: [1, 2], none: null },
};

describe('webhook templates (the subset of Go templates Compass documents)', () => {
  it('print field paths, with or without spaces inside the action', () => {
    expect(renderTemplate('{"id": "{{.Application.ID}}", "also": "{{ .Application.ID }}"}', DATA)).toBe(
      '{"id": "app-1", "also": "app-1"}',
    );
  });

  it('escape strings as JSON, so a value cannot break out of its string', () => {
    expect(renderTemplate('{"e": "{{.Body.error}}"}', DATA)).toBe('{"e": "say \\"no\\""}');
    expect(renderJsonTemplate('{"e": "{{.Body.error}}"}', DATA, 'outputTemplate')).toEqual({
      e: 'say "no"',
    });
  });

  it('print numbers and booleans as they are, objects and lists as JSON, missing and null as nothing', () => {
    expect(
      renderTemplate(
        '{{.Body.count}} {{.Body.ok}} {{.Body.auth}} {{.Body.list}} [{{.Body.missing}}] [{{.Body.none}}] [{{.Nope.deeper}}]',
        DATA,
      ),
    ).toBe('3 true {"user":"u"} [1,2] [] [] []');
  });

  it('print the whole data for {{.}}', () => {
    expect(renderJsonTemplate('{{.}}', { a: 1 }, 'inputTemplate')).toEqual({ a: 1 });
  });

  it('trim the white space next to {{- and -}}', () => {
    expect(renderTemplate('[  {{- .Body.count -}}  ]', DATA)).toBe('[3]');
    expect(renderTemplate('[  {{- .Body.count}}  ]', DATA)).toBe('[3  ]');
    expect(renderTemplate('[  {{.Body.count -}}  ]', DATA)).toBe('[  3]');
  });

  it('refuse pipelines, functions, control actions and unclosed actions', () => {
    expect(checkTemplate('{{.Body.id}} and {{ .Application.ID }}')).toBeUndefined();
    expect(checkTemplate('{{ .Body.id | printf "%s" }}')).toContain('unsupported template action');
    expect(checkTemplate('{{ if .Body.ok }}x{{ end }}')).toContain('unsupported template action');
    expect(checkTemplate('{{ toJson .Body }}')).toContain('unsupported template action');
    expect(checkTemplate('{"a": "{{.Body.id"}')).toBe('unclosed template action');
    expect(() => renderTemplate('{{ len .Body }}', DATA)).toThrow(TemplateError);
  });

  it('name the template whose output is not JSON', () => {
    expect(() => renderJsonTemplate('{"a": {{.Body.error}}}', DATA, 'statusTemplate')).toThrow(
      new TemplateError('statusTemplate did not render valid JSON'),
    );
  });
});
