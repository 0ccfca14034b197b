/**
 * An ApplicationRegisterInput written as the GraphQL input literal Compass returns in
 * `ApplicationTemplate.applicationInput`: the output of its graphqlizer templates with tabs
 * and newlines removed, e.g. `{name: "app",labels: {a:["b"],},}`. The rendering is Compass's,
 * quirks included, so clients that parse or compare it keep working: fields in Compass's
 * order, string values between quotes as they are (not escaped), enums and numbers bare,
 * label values as JSON, spec data quoted, some objects without commas between fields.
 */

import { goJson } from './go-values';

type Obj = Readonly<Record<string, unknown>>;

/**
 * Whether Compass's template writes an optional field (Go's `if`): a pointer that is set, even
 * to "" or false, or a list that is not empty. Maps (labels, headers) use {@link hasEntries}.
 */
function given(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

function hasEntries(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && Object.keys(value).length > 0;
}

/** `text` when `value` is given, otherwise nothing. */
function when(value: unknown, text: (v: never) => string): string {
  return given(value) ? text(value as never) : '';
}

const asObj = (value: unknown): Obj => (typeof value === 'object' && value !== null ? (value as Obj) : {});
const asList = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : []);
const raw = (value: unknown): string => (value === undefined || value === null ? '' : String(value));

/** Every object of a list, each after `sep` but the first. */
function each(list: unknown, render: (item: Obj) => string, sep: string, lead = ''): string {
  return asList(list)
    .map((item, i) => (i > 0 ? sep : '') + lead + render(asObj(item)))
    .join('');
}

/** The literal of a stored (JSON-decoded) ApplicationRegisterInput, placeholders left as they are. */
export function renderApplicationRegisterInput(input: unknown): string {
  const i = asObj(input);
  return (
    `{name: "${raw(i.name)}",` +
    when(i.providerName, (v) => `providerName: "${raw(v)}",`) +
    when(i.description, (v) => `description: "${raw(v)}",`) +
    (hasEntries(i.labels) ? `labels: ${marshal(i.labels)},` : '') +
    when(i.webhooks, (v) => `webhooks: [${each(v, webhook, ',', ' ')} ],`) +
    when(i.healthCheckURL, (v) => `healthCheckURL: "${raw(v)}",`) +
    when(i.bundles, (v) => ` bundles: [${each(v, bundle, ',')} ],`) +
    when(i.integrationSystemID, (v) => `integrationSystemID: "${raw(v)}",`) +
    when(i.statusCondition, (v) => `statusCondition: ${raw(v)},`) +
    when(i.baseUrl, (v) => `baseUrl: "${raw(v)}"`) +
    '}'
  );
}

function webhook(w: Obj): string {
  return (
    `{type: ${raw(w.type)},` +
    when(w.url, (v) => `url: "${raw(v)}",`) +
    when(w.auth, (v) => ` auth:${auth(asObj(v))},`) +
    when(w.mode, (v) => ` mode: ${raw(v)},`) +
    when(w.correlationIdKey, (v) => ` correlationIdKey: "${raw(v)}",`) +
    when(w.retryInterval, (v) => ` retryInterval: ${raw(v)},`) +
    when(w.timeout, (v) => ` timeout: ${raw(v)},`) +
    when(w.urlTemplate, (v) => ` urlTemplate: "${raw(v)}",`) +
    when(w.inputTemplate, (v) => ` inputTemplate: "${raw(v)}",`) +
    when(w.headerTemplate, (v) => ` headerTemplate: "${raw(v)}",`) +
    when(w.outputTemplate, (v) => ` outputTemplate: "${raw(v)}",`) +
    when(w.statusTemplate, (v) => ` statusTemplate: "${raw(v)}",`) +
    '}'
  );
}

function auth(a: Obj): string {
  return (
    '{' +
    when(a.credential, (v) => `credential: ${credential(asObj(v))},`) +
    when(a.accessStrategy, (v) => `accessStrategy: "${raw(v)}",`) +
    (hasEntries(a.additionalHeaders) ? `additionalHeaders: ${multiMap(a.additionalHeaders)},` : '') +
    when(a.additionalHeadersSerialized, (v) => `additionalHeadersSerialized: ${goQuote(raw(v))},`) +
    (hasEntries(a.additionalQueryParams)
      ? `additionalQueryParams: ${multiMap(a.additionalQueryParams)},`
      : '') +
    when(a.additionalQueryParamsSerialized, (v) => `additionalQueryParamsSerialized: ${goQuote(raw(v))},`) +
    when(a.requestAuth, (v) => `requestAuth: ${requestAuth(asObj(v))},`) +
    '}'
  );
}

/** Compass's credential template starts with a space. */
function credential(c: Obj): string {
  const basic = asObj(c.basic);
  const oauth = asObj(c.oauth);
  return (
    ' {' +
    when(c.basic, () => `basic: {username: "${raw(basic.username)}",password: "${raw(basic.password)}",},`) +
    when(
      c.oauth,
      () =>
        `oauth: {clientId: "${raw(oauth.clientId)}",clientSecret: "${raw(oauth.clientSecret)}",url: "${raw(oauth.url)}",},`,
    ) +
    '}'
  );
}

function requestAuth(r: Obj): string {
  return '{' + when(r.csrf, (v) => `csrf: ${csrf(asObj(v))},`) + '}';
}

function csrf(c: Obj): string {
  return (
    `{tokenEndpointURL: "${raw(c.tokenEndpointURL)}",` +
    when(c.credential, (v) => `credential: ${credential(asObj(v))},`) +
    (hasEntries(c.additionalHeaders) ? `additionalHeaders: ${multiMap(c.additionalHeaders)},` : '') +
    when(c.additionalHeadersSerialized, (v) => `additionalHeadersSerialized: ${goQuote(raw(v))},`) +
    (hasEntries(c.additionalQueryParams)
      ? `additionalQueryParams: ${multiMap(c.additionalQueryParams)},`
      : '') +
    when(c.additionalQueryParamsSerialized, (v) => `additionalQueryParamsSerialized: ${goQuote(raw(v))},`) +
    '}'
  );
}

/** Headers and query parameters: `{Name: ["a","b" ],}`, names in sorted order. */
function multiMap(map: Obj): string {
  const entries = sortedKeys(map).map(
    (k) =>
      `${k}: [${asList(map[k])
        .map((v) => `"${raw(v)}"`)
        .join(',')} ],`,
  );
  return `{${entries.join('')}}`;
}

/** Compass separates a bundle's fields without commas. */
function bundle(b: Obj): string {
  return (
    `{name: "${raw(b.name)}"` +
    when(b.description, (v) => `description: "${raw(v)}"`) +
    when(b.instanceAuthRequestInputSchema, (v) => `instanceAuthRequestInputSchema: ${raw(v)}`) +
    when(b.defaultInstanceAuth, (v) => `defaultInstanceAuth:${auth(asObj(v))}`) +
    when(b.apiDefinitions, (v) => `apiDefinitions: [${each(v, apiDefinition, ',', ' ')}],`) +
    when(b.eventDefinitions, (v) => `eventDefinitions: [${each(v, eventDefinition, ',', ' ')}],`) +
    when(b.documents, (v) => ` documents: [${each(v, document, ',')} ],`) +
    '}'
  );
}

function apiDefinition(a: Obj): string {
  return (
    `{name: "${raw(a.name)}",` +
    when(a.description, (v) => `description: "${raw(v)}",`) +
    `targetURL: "${raw(a.targetURL)}",` +
    when(a.group, (v) => `group: "${raw(v)}",`) +
    when(a.spec, (v) => `spec:${apiSpec(asObj(v))},`) +
    when(a.version, (v) => `version:${version(asObj(v))},`) +
    '}'
  );
}

function apiSpec(s: Obj): string {
  return (
    '{' +
    when(s.data, (v) => `data: ${goQuote(raw(v))},`) +
    `type: ${raw(s.type)},format: ${raw(s.format)},` +
    when(s.fetchRequest, (v) => `fetchRequest:${fetchRequest(asObj(v))},`) +
    '}'
  );
}

function eventDefinition(e: Obj): string {
  return (
    `{name: "${raw(e.name)}",` +
    when(e.description, (v) => `description: "${raw(v)}",`) +
    when(e.spec, (v) => `spec: ${eventSpec(asObj(v))},`) +
    when(e.group, (v) => `group: "${raw(v)}",`) +
    when(e.version, (v) => `version:${version(asObj(v))},`) +
    '}'
  );
}

function eventSpec(s: Obj): string {
  return (
    '{' +
    when(s.data, (v) => `data: ${goQuote(raw(v))},`) +
    `type: ${raw(s.type)},` +
    when(s.fetchRequest, (v) => `fetchRequest:${fetchRequest(asObj(v))},`) +
    `format: ${raw(s.format)},}`
  );
}

function document(d: Obj): string {
  return (
    `{title: "${raw(d.title)}",displayName: "${raw(d.displayName)}",description: "${raw(d.description)}",format: ${raw(d.format)},` +
    when(d.kind, (v) => `kind: "${raw(v)}",`) +
    when(d.data, (v) => `data: "${raw(v)}",`) +
    when(d.fetchRequest, (v) => `fetchRequest:${fetchRequest(asObj(v))},`) +
    '}'
  );
}

function fetchRequest(f: Obj): string {
  return (
    `{url: "${raw(f.url)}",` +
    when(f.auth, (v) => `auth:${auth(asObj(v))},`) +
    when(f.mode, (v) => `mode: ${raw(v)},`) +
    when(f.filter, (v) => `filter: "${raw(v)}",`) +
    '}'
  );
}

function version(v: Obj): string {
  return (
    `{value: "${raw(v.value)}",` +
    when(v.deprecated, (x) => `deprecated: ${raw(x)},`) +
    when(v.deprecatedSince, (x) => `deprecatedSince: "${raw(x)}",`) +
    when(v.forRemoval, (x) => `forRemoval: ${raw(x)},`) +
    '}'
  );
}

/** Go's map order: keys sorted. */
function sortedKeys(map: Obj): string[] {
  return Object.keys(map).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Label values as Compass's graphqlizer marshals them: maps as `{key:value,}` with bare,
 * sorted keys, lists as `[a,b]`, anything else as Go's JSON (which escapes <, > and &).
 */
function marshal(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(marshal).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const map = value as Obj;
    return `{${sortedKeys(map)
      .map((k) => `${k}:${marshal(map[k])},`)
      .join('')}}`;
  }
  return goJson(value);
}

const GO_ESCAPES: Readonly<Record<string, string>> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '"': '\\"',
  '\\': '\\\\',
};

/** Printable as Go's strconv.IsPrint has it: letters, marks, numbers, punctuation, symbols, ASCII space. */
const GO_PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** A string quoted as Go's strconv.Quote quotes it (how Compass writes spec data). */
function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const escape = GO_ESCAPES[ch];
    if (escape) out += escape;
    else if (GO_PRINTABLE.test(ch)) out += ch;
    else {
      const code = ch.codePointAt(0)!;
      if (code < 0x80) out += `\\x${code.toString(16).padStart(2, '0')}`;
      else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`;
      else out += `\\U${code.toString(16).padStart(8, '0')}`;
    }
  }
  return `${out}"`;
}
