import '@ui5/webcomponents-icons/dist/navigation-right-arrow.js';
import '@ui5/webcomponents-icons/dist/navigation-left-arrow.js';
import { Bar } from '@ui5/webcomponents-react/Bar';
import { Button } from '@ui5/webcomponents-react/Button';
import { Table } from '@ui5/webcomponents-react/Table';
import { TableCell } from '@ui5/webcomponents-react/TableCell';
import { TableHeaderCell } from '@ui5/webcomponents-react/TableHeaderCell';
import { TableHeaderRow } from '@ui5/webcomponents-react/TableHeaderRow';
import { TableRow } from '@ui5/webcomponents-react/TableRow';
import { Text } from '@ui5/webcomponents-react/Text';
import type { ReactNode } from 'react';
import type { CombinedError } from 'urql';
import type { PageInfoFieldsFragment } from '../generated/graphql';
import { navigate, useLocation, withQuery } from '../router';
import { ErrorStrip } from './states';

export interface Column<T> {
  readonly header: string;
  readonly cell: (row: T) => ReactNode;
  readonly width?: string;
  /** Columns below this width move into a popin instead of squeezing the table. */
  readonly minWidth?: number;
}

interface Props<T> {
  readonly name: string;
  readonly rows: readonly T[] | undefined;
  readonly columns: readonly Column<T>[];
  readonly rowKey: (row: T) => string;
  readonly rowHref?: (row: T) => string;
  readonly pageInfo?: PageInfoFieldsFragment | undefined;
  readonly totalCount?: number | undefined;
  readonly fetching: boolean;
  readonly error: CombinedError | undefined;
  /** Shown when the (filtered) list is empty. */
  readonly empty: string;
}

/** The page size of every list; Compass's pages hold at most 200. */
export const PAGE_SIZE = 50;

/**
 * A list paged with Compass's cursors: `after` is in the URL, so "Next page" is a new history
 * entry and the browser's back button (or "Previous page") returns to the page before.
 */
export function PagedTable<T>(props: Props<T>) {
  const location = useLocation();
  const after = location.query.get('after');
  const cameFromPage = (window.history.state as { cockpitPage?: boolean } | null)?.cockpitPage;
  const rows = props.rows ?? [];
  return (
    <div className="paged-table">
      <ErrorStrip error={props.error} />
      <Table
        accessibleName={props.name}
        overflowMode="Popin"
        loading={props.fetching && rows.length === 0 && !props.error}
        loadingDelay={200}
        noData={
          <Text className="no-data">{props.error ? 'The list could not be loaded.' : props.empty}</Text>
        }
        headerRow={
          <TableHeaderRow sticky>
            {props.columns.map((c) => (
              <TableHeaderCell
                key={c.header}
                {...(c.width ? { width: c.width } : {})}
                {...(c.minWidth ? { minWidth: `${c.minWidth}px` } : {})}
              >
                {c.header}
              </TableHeaderCell>
            ))}
          </TableHeaderRow>
        }
        onRowClick={(e) => {
          const key = e.detail.row.rowKey;
          const row = rows.find((r) => props.rowKey(r) === key);
          if (row && props.rowHref) navigate(props.rowHref(row));
        }}
      >
        {rows.map((row) => (
          <TableRow key={props.rowKey(row)} rowKey={props.rowKey(row)} interactive={Boolean(props.rowHref)}>
            {props.columns.map((c) => (
              <TableCell key={c.header}>{c.cell(row)}</TableCell>
            ))}
          </TableRow>
        ))}
      </Table>
      <Bar
        design="Subheader"
        className="pager"
        startContent={
          <Text>
            {props.totalCount !== undefined ? `${props.totalCount} in total` : ''}
            {after ? ' · not the first page' : ''}
          </Text>
        }
        endContent={
          <>
            {after && (
              <Button
                design="Transparent"
                onClick={() => navigate(withQuery(location, { after: undefined }))}
              >
                First page
              </Button>
            )}
            {after && cameFromPage && (
              <Button design="Transparent" icon="navigation-left-arrow" onClick={() => window.history.back()}>
                Previous page
              </Button>
            )}
            <Button
              design="Transparent"
              icon="navigation-right-arrow"

              disabled={!props.pageInfo?.hasNextPage}
              onClick={() =>
                props.pageInfo &&
                navigate(withQuery(location, { after: props.pageInfo.endCursor }), { page: true })
              }
            >
              Next page
            </Button>
          </>
        }
      />
    </div>
  );
}
