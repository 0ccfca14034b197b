import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { Lexer, Source, type Token, TokenKind } from 'graphql';

/**
 * Removes empty argument lists written right after a field name, e.g. `labelDefinitions()`
 * or `configuration()`: Compass's server (gqlparser) takes them as no arguments and Compass's
 * clients send them, but graphql-js refuses them ("Expected Name"). Nothing else is relaxed: the
 * parentheses must hold nothing but whitespace, commas and comments, and follow a field's name
 * inside a selection set: not an operation, fragment, directive or type condition, nor anything
 * in a string or an argument value (graphql-js's lexer finds the tokens). The removed characters
 * become spaces (line breaks stay), so error locations still point into the text as sent.
 *
 * Returns `text` unchanged when it cannot be lexed or has more than `maxTokens` tokens: the
 * parser then refuses it with its own error.
 */
export function dropEmptyArgumentLists(text: string, maxTokens = Number.POSITIVE_INFINITY): string {
  // Most documents have no empty parentheses at all: those are not lexed.
  if (!MAYBE_EMPTY_PARENTHESES.test(text)) return text;
  const spans: Array<[number, number]> = [];
  try {
    const lexer = new Lexer(new Source(text));
    const recent: Token[] = [];
    let parens = 0;
    let braces = 0;
    let count = 0;
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      if (++count > maxTokens) return text;
      if (token.kind === TokenKind.PAREN_L) {
        if (parens === 0 && braces > 0 && followsFieldName(recent)) {
          const next = lexer.lookahead();
          if (next.kind === TokenKind.PAREN_R) {
            spans.push([token.start, next.end]);
            lexer.advance();
            count += 1;
            recent.length = 0;
            continue;
          }
        }
        parens += 1;
      } else if (token.kind === TokenKind.PAREN_R) {
        parens -= 1;
      } else if (parens === 0 && token.kind === TokenKind.BRACE_L) {
        braces += 1;
      } else if (parens === 0 && token.kind === TokenKind.BRACE_R) {
        braces -= 1;
      }
      recent.push(token);
      if (recent.length > 3) recent.shift();
    }
  } catch {
    return text;
  }
  return spans.reduceRight(
    (out, [start, end]) =>
      out.slice(0, start) + out.slice(start, end).replace(/[^\r\n]/g, ' ') + out.slice(end),
    text,
  );
}

/**
 * Parentheses holding nothing but whitespace, commas and comments, anywhere in the text (a
 * comment runs to the line's end, so one inside empty parentheses ends with a line break).
 * Each character has one way to match: no backtracking however the text is built.
 */
const MAYBE_EMPTY_PARENTHESES = /\((?:[\s,]|#[^\r\n]*[\r\n])*\)/;

/**
 * Whether the last tokens (oldest first) end in a field's name: a name not preceded by `@`
 * (a directive), `...` (a fragment spread, or `... on` a type condition) or `$` (a variable).
 */
function followsFieldName(recent: readonly Token[]): boolean {
  const name = recent.at(-1);
  if (name?.kind !== TokenKind.NAME) return false;
  const before = recent.at(-2);
  if (
    before?.kind === TokenKind.AT ||
    before?.kind === TokenKind.SPREAD ||
    before?.kind === TokenKind.DOLLAR
  ) {
    return false;
  }
  return !(
    before?.kind === TokenKind.NAME &&
    before.value === 'on' &&
    recent.at(-3)?.kind === TokenKind.SPREAD
  );
}

/**
 * Applies {@link dropEmptyArgumentLists} to every request's document before it is parsed.
 * Persisted queries are left as sent: their hash is of the client's text.
 */
export function emptyArgumentsPlugin<C extends BaseContext>(maxTokens?: number): ApolloServerPlugin<C> {
  return {
    async requestDidStart({ request }) {
      if (typeof request.query === 'string' && !request.extensions?.persistedQuery) {
        request.query = dropEmptyArgumentLists(request.query, maxTokens);
      }
    },
  };
}
