import type { ReactNode } from 'react';

/** A column header that sorts its table, with ▲/▼ for the direction it sorts in now (none: unsorted). */
export function SortButton({ children, direction, onClick }: { children: ReactNode; direction: 'asc' | 'desc' | null; onClick: (event: unknown) => void }) {
  return (
    <button type="button" className="sort-button" onClick={onClick}>
      {children}
      <span className="sort-mark" aria-hidden="true">
        {direction === 'asc' ? '▲' : direction === 'desc' ? '▼' : ''}
      </span>
    </button>
  );
}

/** The space of the rows a virtualized table does not draw, above or below those it does. */
export function SpacerRow({ columns, height }: { columns: number; height: number }) {
  if (height <= 0) return null;
  return (
    <tr aria-hidden="true">
      <td colSpan={columns} style={{ height, padding: 0 }} />
    </tr>
  );
}
