import type { Collection, Filter } from 'mongodb';
import pLimit from 'p-limit';
import { InvalidDataError } from '../domain/errors';
import { type Page, type PageRequest, mapPage, toPage } from '../domain/pagination';
import type { ServerProfile } from './server-profile';

/** How many `_id` lookups one batch read keeps in flight on a scanning server. */
const LOOKUP_CONCURRENCY = 16;

/** A position cursor's key: how many matching documents precede the next page. */
const POSITION = /^p:(0|[1-9]\d{0,8})$/;

/**
 * One page of the documents matching `filter`, in the order the server answers fastest
 * (see ServerProfile): by `_id` after the cursor's key on an indexed server, in insertion
 * order after the cursor's position on a scanning one. `totalCount` is counted only when a
 * client asks for it.
 */
export async function readPage<D extends { _id: string }>(
  col: Collection<D>,
  profile: ServerProfile,
  filter: Filter<D>,
  page: PageRequest,
): Promise<Page<D>> {
  const totalCount = () => col.countDocuments(filter);
  if (profile === 'scanning') {
    const offset = positionOf(page.after);
    const rows = (await col
      .find(filter)
      .skip(offset)
      .limit(page.first + 1)
      .toArray()) as D[];
    const positioned = rows.map((doc, i) => ({ doc, position: offset + i + 1 }));
    return mapPage(
      toPage(positioned, page, totalCount, (r) => `p:${r.position}`),
      (r) => r.doc,
    );
  }
  const paged =
    page.after === undefined ? filter : ({ $and: [filter, { _id: { $gt: page.after } }] } as Filter<D>);
  const rows = (await col
    .find(paged)
    .sort({ _id: 1 })
    .limit(page.first + 1)
    .toArray()) as D[];
  return toPage(rows, page, totalCount, (d) => d._id);
}

/**
 * Documents by `_id`, in the order of `ids`, missing ones left out: one `$in` query on an
 * indexed server, one `_id` lookup per document on a scanning one (where `$in` reads the
 * whole collection).
 */
export async function readByIds<D extends { _id: string }>(
  col: Collection<D>,
  profile: ServerProfile,
  ids: readonly string[],
): Promise<D[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  let found: (D | null)[];
  if (profile === 'scanning') {
    const limit = pLimit(LOOKUP_CONCURRENCY);
    found = await Promise.all(
      unique.map((id) => limit(async () => (await col.findOne({ _id: id } as Filter<D>)) as D | null)),
    );
  } else {
    found = (await col.find({ _id: { $in: unique } } as Filter<D>).toArray()) as D[];
  }
  const byId = new Map(found.flatMap((d) => (d ? [[d._id, d] as const] : [])));
  return unique.flatMap((id) => byId.get(id) ?? []);
}

/** One page of rows already read in order, with position cursors. */
export function pageOfRows<T>(rows: readonly T[], page: PageRequest): Page<T> {
  const offset = positionOf(page.after);
  const positioned = rows
    .slice(offset, offset + page.first + 1)
    .map((row, i) => ({ row, position: offset + i + 1 }));
  return mapPage(
    toPage(positioned, page, rows.length, (r) => `p:${r.position}`),
    (r) => r.row,
  );
}

function positionOf(after: string | undefined): number {
  if (after === undefined) return 0;
  const match = POSITION.exec(after);
  if (!match) throw new InvalidDataError('', { cursor: 'is not a valid page cursor' });
  return Number(match[1]);
}
