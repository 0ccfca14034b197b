import { InvalidDataError } from './errors';

/** Compass's default and maximum page size. */
export const MAX_PAGE_SIZE = 200;

/** A validated page request: `after` is the last key of the previous page, if any. */
export interface PageRequest {
  readonly first: number;
  readonly after?: string;
  /** The cursor as the client sent it: the page's `startCursor` echoes it, as Compass's does. */
  readonly cursor?: string;
}

export interface PageInfo {
  readonly startCursor: string;
  readonly endCursor: string;
  readonly hasNextPage: boolean;
}

/**
 * A page's total: a number, or a function counting it, which GraphQL calls only when a
 * client selects `totalCount` (counting can cost more than the page itself).
 */
export type TotalCount = number | (() => Promise<number>);

export interface Page<T> {
  readonly data: readonly T[];
  readonly pageInfo: PageInfo;
  readonly totalCount: TotalCount;
}

/** The same page with every item passed through `f`. */
export function mapPage<T, U>(page: Page<T>, f: (item: T) => U): Page<U> {
  return { ...page, data: page.data.map(f) };
}

/** The page's total, counting it if it was left to be counted. */
export async function countOf(page: Page<unknown>): Promise<number> {
  return typeof page.totalCount === 'number' ? page.totalCount : page.totalCount();
}

const CURSOR_PREFIX = 'k1:';

/** Cursors are opaque to clients: base64url of a versioned key, never an offset. */
export function encodeCursor(key: string): string {
  return base64UrlEncode(CURSOR_PREFIX + key);
}

export function decodeCursor(cursor: string): string {
  const decoded = base64UrlDecode(cursor);
  if (
    decoded === undefined ||
    !decoded.startsWith(CURSOR_PREFIX) ||
    decoded.length === CURSOR_PREFIX.length
  ) {
    throw new InvalidDataError('', { cursor: 'is not a valid page cursor' });
  }
  return decoded.slice(CURSOR_PREFIX.length);
}

/** Validates `first`/`after` with Compass's message for an out-of-range page size. */
export function parsePageRequest(
  first: number | null | undefined,
  after: string | null | undefined,
): PageRequest {
  const size = first ?? MAX_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw new InvalidDataError('', { first: `page size must be between 1 and ${MAX_PAGE_SIZE}` });
  }
  return after ? { first: size, after: decodeCursor(after), cursor: after } : { first: size };
}

/**
 * Builds a page from up to `first + 1` rows fetched in key order, with Compass's page info:
 * `startCursor` is the cursor the request came with (`""` for the first page), `endCursor`
 * the cursor of the next page, or `""` when this is the last one.
 */
export function toPage<T>(
  rows: readonly T[],
  request: PageRequest,
  totalCount: TotalCount,
  keyOf: (row: T) => string,
): Page<T> {
  const data = rows.slice(0, request.first);
  const last = data[data.length - 1];
  const hasNextPage = rows.length > request.first && last !== undefined;
  return {
    data,
    totalCount,
    pageInfo: {
      startCursor: request.cursor ?? '',
      endCursor: hasNextPage ? encodeCursor(keyOf(last)) : '',
      hasNextPage,
    },
  };
}

/** A page with nothing on it, answering `request`. */
export function emptyPage<T>(request: PageRequest): Page<T> {
  return toPage<T>([], request, 0, () => '');
}

function base64UrlEncode(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function base64UrlDecode(text: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
