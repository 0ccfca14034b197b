/**
 * The subset of Go's text/template that Compass's webhook docs use: actions that print a
 * field path, `{{.Body.error}}`, `{{ .Application.ID }}`, with `{{-`/`-}}` trimming. A string
 * is printed JSON-escaped (templates render JSON, so a quote in a value cannot break out of
 * its string); numbers and booleans as they are; objects and lists as JSON; a missing field
 * prints nothing. Any other action (pipelines, functions, if/range) is refused when the
 * webhook is saved.
 */

const ACTION = /\{\{(-?)\s*(.*?)\s*(-?)\}\}/gs;
const PATH = /^\.(?:[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)?$/;

/** Thrown when a template cannot be rendered or does not render JSON. */
export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

/** The problem with a template's syntax, or undefined when it can be rendered. */
export function checkTemplate(template: string): string | undefined {
  const opens = template.split('{{').length - 1;
  let actions = 0;
  for (const [, , action] of template.matchAll(ACTION)) {
    actions++;
    if (!PATH.test(action ?? ''))
      return `unsupported template action {{${action}}}: only field paths like {{.Body.id}}`;
  }
  if (actions !== opens) return 'unclosed template action';
  return undefined;
}

function lookup(data: unknown, path: string): unknown {
  let value = data;
  for (const key of path.split('.').slice(1)) {
    if (key === '') continue;
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function print(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return JSON.stringify(value).slice(1, -1);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Renders `template` with `data` (see the module comment for what it supports). */
export function renderTemplate(template: string, data: unknown): string {
  const problem = checkTemplate(template);
  if (problem) throw new TemplateError(problem);
  let out = '';
  let last = 0;
  let trimNext = false;
  for (const match of template.matchAll(ACTION)) {
    let text = template.slice(last, match.index);
    if (trimNext) text = text.trimStart();
    if (match[1] === '-') text = text.trimEnd();
    out += text + print(lookup(data, match[2]!));
    trimNext = match[3] === '-';
    last = match.index + match[0].length;
  }
  const tail = template.slice(last);
  return out + (trimNext ? tail.trimStart() : tail);
}

/** Renders `template` and parses the result as JSON; a TemplateError names `what` otherwise. */
export function renderJsonTemplate(template: string, data: unknown, what: string): unknown {
  const text = renderTemplate(template, data);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new TemplateError(`${what} did not render valid JSON`);
  }
}
