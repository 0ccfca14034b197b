import { parse, print } from 'graphql';
import { dropEmptyArgumentLists } from '../../api/empty-arguments';

/** The document as graphql-js prints it once its empty argument lists are dropped. */
function normalised(text: string): string {
  return print(parse(dropEmptyArgumentLists(text)));
}

describe('empty argument lists', () => {
  it.each([
    ['{ labelDefinitions() { key } }', '{ labelDefinitions { key } }'],
    ['query { configuration() { token { token } } }', 'query { configuration { token { token } } }'],
    ['{ a: labelDefinitions( ) { key } }', '{ a: labelDefinitions { key } }'],
    ['{ labelDefinitions(,, ) { key } }', '{ labelDefinitions { key } }'],
    ['{ labelDefinitions(# none\n) { key } }', '{ labelDefinitions { key } }'],
    ['{ viewer() { id() type } }', '{ viewer { id type } }'],
    ['{ ... on Query { viewer() { id } } }', '{ ... on Query { viewer { id } } }'],
    ['fragment F on Query { viewer() { id } } { ...F }', 'fragment F on Query { viewer { id } } { ...F }'],
    [
      'query($id: ID! = "()") { application(id: $id) { labels() name @include(if: true) } }',
      'query($id: ID! = "()") { application(id: $id) { labels name @include(if: true) } }',
    ],
  ])('takes %p as having no arguments', (sent, meant) => {
    expect(normalised(sent)).toBe(print(parse(meant)));
  });

  it.each([
    ['an operation', 'query Q() { viewer { id } }'],
    ['a directive', '{ viewer @skip() { id } }'],
    ['a fragment spread', '{ ...F() } fragment F on Query { viewer { id } }'],
    ['a type condition', '{ ... on Query() { viewer { id } } }'],
    ['an argument value', '{ application(id: ()) { id } }'],
  ])('leaves empty parentheses after %s for the parser to refuse', (_where, text) => {
    expect(dropEmptyArgumentLists(text)).toBe(text);
    expect(() => parse(text)).toThrow(/Syntax Error/);
  });

  it.each([
    ['a string', '{ application(id: "labels()") { id } }'],
    ['a block string', '{ application(id: """\n labels() \n""") { id } }'],
    ['a comment', '{ viewer { id } } # labels()'],
    ['a non-empty argument list', '{ labelDefinition(key: "a") { key } }'],
  ])('never touches %s', (_what, text) => {
    expect(dropEmptyArgumentLists(text)).toBe(text);
  });

  it('keeps every other character where it was, so error locations still match', () => {
    const text = '{\n  labelDefinitions(\n  ) { key }\n  oops\n}';
    const out = dropEmptyArgumentLists(text);
    expect(out).toBe('{\n  labelDefinitions \n    { key }\n  oops\n}');
    expect(out).toHaveLength(text.length);
  });

  it('leaves text it cannot lex, or longer than the token limit, as it is', () => {
    expect(dropEmptyArgumentLists('{ viewer() { id } } "unterminated')).toBe(
      '{ viewer() { id } } "unterminated',
    );
    expect(dropEmptyArgumentLists('{ viewer() { id } }', 5)).toBe('{ viewer() { id } }');
    expect(dropEmptyArgumentLists('{ viewer() { id } }', 8)).toBe('{ viewer   { id } }');
  });

  it('takes comment-only argument lists on Windows line endings too', () => {
    expect(normalised('{ labelDefinitions(# none\r\n) { key } }')).toBe(
      print(parse('{ labelDefinitions { key } }')),
    );
  });

  it('leaves a document of unclosed comment-filled parentheses as it is', () => {
    const text = `{ viewer(${'#'.repeat(5000)}`;
    expect(dropEmptyArgumentLists(text)).toBe(text);
  });
});
