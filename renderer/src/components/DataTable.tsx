import type { ReactNode } from 'react';
import { TableScroll } from './TableScroll';

export interface Column<Row> {
  key: string;
  header: string;
  /** Right-aligned, tabular figures. */
  numeric?: boolean;
  mono?: boolean;
  /** Long free text (a description): may wrap. Every other column stays on one line. */
  wrap?: boolean;
  render?: (row: Row) => ReactNode;
}

function cell(value: unknown): ReactNode {
  if (value === null || value === undefined || value === '') return <span className="null">—</span>;
  return String(value);
}

/** A plain readable table: sticky header, hairlines, zebra rows, numbers right-aligned, one line per row. */
export function DataTable<Row extends Record<string, unknown>>({
  columns,
  rows,
  rowKey,
  caption,
  maxHeight,
  testId,
}: {
  columns: Column<Row>[];
  rows: Row[];
  rowKey: (row: Row, index: number) => string;
  caption?: string;
  maxHeight?: number;
  testId?: string;
}) {
  return (
    <TableScroll style={maxHeight ? { maxHeight } : undefined} label={caption ?? 'Table'}>
      <table className="table zebra" data-testid={testId}>
        {caption ? <caption className="visually-hidden">{caption}</caption> : null}
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} scope="col" className={c.numeric ? 'num' : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={rowKey(row, i)}>
              {columns.map((c) => (
                <td key={c.key} className={[c.numeric ? 'num' : '', c.mono ? 'mono' : '', c.wrap ? 'wrap' : ''].filter(Boolean).join(' ') || undefined}>
                  {c.render ? c.render(row) : cell(row[c.key])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
