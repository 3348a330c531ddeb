import { useMemo, useRef, useState, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Experiment } from '../../../../shared/schemas/experiments';
import { formatCount, formatDateTime } from '../../lib/labels';
import { RunStateBadge } from './RunStateBadge';
import { WarningsBadge } from './WarningsBadge';
import { experimentHref } from './labels';
import { SortButton, SpacerRow } from '../TableParts';

const ROW_HEIGHT = 33;
/** Rows drawn beyond the visible ones, so a quick scroll shows no blank rows. */
const OVERSCAN = 12;

type SortKey = 'flowCellId' | 'folder' | 'flowCellProduct' | 'sampleId' | 'sequencingKit' | 'started' | 'pod5Count' | 'runState' | 'basecallRuns';
export interface ExperimentsSort {
  key: SortKey;
  dir: 1 | -1;
}

interface Column {
  key: SortKey;
  header: string;
  numeric?: boolean;
  /** What the column sorts by (null sorts last either way). */
  value: (e: Experiment) => string | number | null;
  render: (e: Experiment) => ReactNode;
}

const dash = <span className="null">—</span>;

const FOLDER_CHARS = 30;

/**
 * The folder a run is in, its end kept when long (the run's own folder name is its exp_id, the
 * link's title): enough to tell two runs of one flow cell apart; the full path is its title.
 */
export function shortFolder(path: string | null): string | null {
  if (!path) return null;
  const parent = path.replace(/\/+$/, '').replace(/\/[^/]*$/, '') || '/';
  if (parent.length <= FOLDER_CHARS) return parent;
  const tail = parent.slice(-FOLDER_CHARS);
  const cut = tail.indexOf('/');
  return `…${cut >= 0 ? tail.slice(cut) : tail}`;
}

function pod5Text(e: Experiment): string {
  if (e.pod5Count === null) return '—';
  return e.pod5Expected !== null && e.pod5Expected !== e.pod5Count ? `${formatCount(e.pod5Count)} / ${formatCount(e.pod5Expected)}` : formatCount(e.pod5Count);
}

const COLUMNS: Column[] = [
  {
    key: 'flowCellId',
    header: 'Flow cell',
    value: (e) => e.flowCellId ?? e.expId,
    render: (e) => (
      <a className="link" href={experimentHref(e.expId)} title={e.expId}>
        {e.flowCellId ?? e.expId}
      </a>
    ),
  },
  {
    key: 'folder',
    header: 'Folder',
    value: (e) => e.experimentPath,
    render: (e) => (e.experimentPath ? <span title={e.experimentPath} data-testid="exp-folder">{shortFolder(e.experimentPath)}</span> : dash),
  },
  { key: 'flowCellProduct', header: 'Product', value: (e) => e.flowCellProduct, render: (e) => e.flowCellProduct ?? dash },
  { key: 'sampleId', header: 'Sample', value: (e) => e.sampleId, render: (e) => e.sampleId ?? dash },
  { key: 'sequencingKit', header: 'Kit', value: (e) => e.sequencingKit, render: (e) => e.sequencingKit ?? dash },
  { key: 'started', header: 'Started', value: (e) => e.started, render: (e) => (e.started ? formatDateTime(e.started) : dash) },
  { key: 'pod5Count', header: 'POD5 files', numeric: true, value: (e) => e.pod5Count, render: pod5Text },
  {
    key: 'runState',
    header: 'State',
    value: (e) => e.runState,
    render: (e) => (
      <>
        <RunStateBadge state={e.runState} /> <WarningsBadge warnings={e.warnings} />
      </>
    ),
  },
  {
    key: 'basecallRuns',
    header: 'Basecalls',
    numeric: true,
    value: (e) => e.basecallRuns,
    render: (e) => (e.basecallRuns === 0 ? <span className="zero">0</span> : formatCount(e.basecallRuns)),
  },
];

/** Sorted by one column; rows whose value is missing go last whichever the direction. */
export function sortExperiments(rows: readonly Experiment[], sort: ExperimentsSort | null): readonly Experiment[] {
  if (!sort) return rows;
  const value = COLUMNS.find((c) => c.key === sort.key)!.value;
  return [...rows].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    const d = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
    return d * sort.dir;
  });
}

/**
 * The experiments as a table sorted by a click on a column's header (again: the other way), only
 * the rows in view drawn, so a workspace of thousands of runs stays quick to redraw while a scan
 * adds to it.
 */
export function ExperimentsTable({ experiments }: { experiments: readonly Experiment[] }) {
  const [sort, setSort] = useState<ExperimentsSort | null>(null);
  const rows = useMemo(() => sortExperiments(experiments, sort), [experiments, sort]);
  const scrollRef = useRef<HTMLDivElement>(null);
  // The virtualizer is read during render only: nothing memoized is handed its functions.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: OVERSCAN });
  const items = virtualizer.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);

  return (
    <div ref={scrollRef} className="table-scroll" tabIndex={0} role="region" aria-label="Experiments">
      <table className="table zebra" data-testid="experiments-table" aria-rowcount={rows.length + 1}>
        <caption className="visually-hidden">Experiments</caption>
        <thead>
          <tr>
            {COLUMNS.map((c) => {
              const active = sort?.key === c.key;
              return (
                <th key={c.key} scope="col" className={c.numeric ? 'num' : undefined} aria-sort={active ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}>
                  <SortButton
                    direction={active ? (sort.dir === 1 ? 'asc' : 'desc') : null}
                    onClick={() => setSort((s) => (s?.key === c.key ? { key: c.key, dir: s.dir === 1 ? -1 : 1 } : { key: c.key, dir: c.numeric || c.key === 'started' ? -1 : 1 }))}
                  >
                    {c.header}
                  </SortButton>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          <SpacerRow columns={COLUMNS.length} height={padTop} />
          {items.map((item) => {
            const e = rows[item.index]!;
            return (
              <tr key={e.expId} style={{ height: ROW_HEIGHT }} aria-rowindex={item.index + 2}>
                {COLUMNS.map((c) => (
                  <td key={c.key} className={c.numeric ? 'num' : undefined}>
                    {c.render(e)}
                  </td>
                ))}
              </tr>
            );
          })}
          <SpacerRow columns={COLUMNS.length} height={padBottom} />
        </tbody>
      </table>
    </div>
  );
}
