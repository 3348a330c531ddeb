import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { createColumnHelper, flexRender, getCoreRowModel, useReactTable, type SortingState } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ApiErrorBody } from '../../../../shared/errors';
import type { PageCursor, ReadRow, ReadsFilter, ReadsSort, SortColumn } from '../../../../shared/schemas/reads';
import { SORT_COLUMNS } from '../../../../shared/schemas/reads';
import { subscribe } from '../../api/client';
import { toErrorBody } from '../../lib/errors';
import { request } from '../../stores/connectionStore';
import { Card } from '../Card';
import { ErrorNotice } from '../Notice';
import { formatNumber } from './format';
import { ScrollFrame, useSideOverflow } from '../TableScroll';
import { SortButton, SpacerRow } from '../TableParts';

const PAGE = 200;
const ROW_HEIGHT = 29;
const HEADER_HEIGHT = 32;
/** Pages kept around the visible one; the rest are dropped (a run may have millions of reads). */
const KEEP_PAGES = 8;

type Row = ReadRow & { index: number };
const column = createColumnHelper<Row>();
const num = (digits: number) => (info: { getValue: () => unknown }) => formatNumber(info.getValue() as number | null, digits);
const COLUMNS = [
  column.accessor('read_id', { header: 'read_id', meta: { mono: true } }),
  column.accessor('readlen', { header: 'Length', cell: num(0), meta: { numeric: true } }),
  column.accessor('q_bc', { header: 'q_bc', cell: num(2), meta: { numeric: true } }),
  column.accessor('ref_id', { header: 'Reference', cell: (i) => i.getValue() ?? '—', meta: { mono: true } }),
  column.accessor('ed', { header: 'ed', cell: num(0), meta: { numeric: true } }),
  column.accessor('q_ld', { header: 'q_ld', cell: num(2), meta: { numeric: true } }),
  column.accessor('strand', { header: 'Strand', cell: (i) => i.getValue() ?? '—', enableSorting: false }),
  column.accessor('end_reason', { header: 'End reason', meta: { mono: true } }),
];

interface Meta {
  numeric?: boolean;
  mono?: boolean;
}

/** The filter bar's text fields, turned into a filter on Apply. */
interface FilterForm {
  qMin: string;
  qMax: string;
  lenMin: string;
  lenMax: string;
  edMax: string;
  qldMin: string;
  ref: string;
  endReason: string;
}
const EMPTY_FORM: FilterForm = { qMin: '', qMax: '', lenMin: '', lenMax: '', edMax: '', qldMin: '', ref: '', endReason: '' };
/** The text of a number field that is there but is no number (an empty field is no bound). */
function notANumber(text: string): boolean {
  return text.trim() !== '' && !Number.isFinite(Number(text));
}
const NUMBER_FIELDS = ['qMin', 'qMax', 'lenMin', 'lenMax', 'edMax', 'qldMin'] as const;
const ASSIGNED = '__assigned';
const UNASSIGNED = '__unassigned';

function toFilter(f: FilterForm): ReadsFilter {
  const n = (s: string) => (s.trim() === '' || !Number.isFinite(Number(s)) ? undefined : Number(s));
  const range = (min?: number, max?: number) => (min === undefined && max === undefined ? undefined : { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) });
  const filter: ReadsFilter = {};
  const q = range(n(f.qMin), n(f.qMax));
  const len = range(n(f.lenMin), n(f.lenMax));
  const ed = range(undefined, n(f.edMax));
  const qld = range(n(f.qldMin), undefined);
  if (q) filter.q_bc = q;
  if (len) filter.readlen = len;
  if (ed) filter.ed = ed;
  if (qld) filter.q_ld = qld;
  if (f.ref === ASSIGNED) filter.refNull = false;
  else if (f.ref === UNASSIGNED) filter.refNull = true;
  else if (f.ref) filter.refIds = [f.ref];
  if (f.endReason) filter.endReasons = [f.endReason];
  return filter;
}

function toSort(sorting: SortingState): ReadsSort {
  const first = sorting[0];
  const col = (SORT_COLUMNS as readonly string[]).includes(first?.id ?? '') ? (first!.id as SortColumn) : 'q_bc';
  return { column: col, dir: first?.desc === false ? 'asc' : 'desc' };
}

/** `onFilter` hears each filter applied (the page's plots follow it). */
export function ReadsTable({ runId, refIds, endReasons, onFilter }: { runId: string; refIds: string[]; endReasons: string[]; onFilter?: (filter: ReadsFilter) => void }) {
  const [form, setForm] = useState<FilterForm>(EMPTY_FORM);
  const [filter, setFilter] = useState<ReadsFilter>({});
  const [sorting, setSorting] = useState<SortingState>([{ id: 'q_bc', desc: true }]);
  const [total, setTotal] = useState<number | null>(null);
  const [pages, setPages] = useState<ReadonlyMap<number, ReadRow[]>>(new Map());
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const generation = useRef(0);
  const inflight = useRef(new Set<number>());
  const scrollRef = useRef<HTMLDivElement>(null);
  const sideOverflow = useSideOverflow(scrollRef);
  const sort = useMemo(() => toSort(sorting), [sorting]);
  const id = useId();
  const countKey = `reads-table${id}`;

  // A new filter or sort: a new generation; answers to the old one are dropped.
  useEffect(() => {
    const gen = ++generation.current;
    inflight.current.clear();
    setPages(new Map());
    setTotal(null);
    scrollRef.current?.scrollTo({ top: 0 });
    request('reads.count', { runId, filter, key: countKey })
      .then((r) => gen === generation.current && setTotal(r.total))
      .catch((err: unknown) => gen === generation.current && setError(toErrorBody(err)));
  }, [runId, filter, sort, countKey]);

  // Until the count is in (a big run takes a while), the table runs one page past what it holds.
  // A short page is the last one: then the end is known without the count.
  const rowCount = useMemo(() => {
    if (total !== null) return total;
    let end = PAGE;
    for (const [p, rows] of pages) {
      if (rows.length < PAGE) return p * PAGE + rows.length;
      end = Math.max(end, (p + 2) * PAGE);
    }
    return end;
  }, [pages, total]);

  // The virtualizer is read during render only: nothing memoized is handed its functions.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 15,
  });
  const items = virtualizer.getVirtualItems();
  const firstPage = Math.floor((items[0]?.index ?? 0) / PAGE);
  const lastPage = Math.floor((items.at(-1)?.index ?? 0) / PAGE);

  const load = useCallback(
    (page: number, previous: ReadRow[] | undefined) => {
      const gen = generation.current;
      inflight.current.add(page);
      // After a page we hold, keyset paging (an index walk); elsewhere (a scrollbar jump), offset.
      const last = previous?.length === PAGE ? previous.at(-1) : undefined;
      const after: PageCursor | undefined = last ? { value: last[sort.column], rowid: last.rowid } : undefined;
      request('reads.page', { runId, filter, sort, limit: PAGE, ...(after ? { after } : { offset: page * PAGE }) })
        .then((r) => {
          if (gen !== generation.current) return;
          inflight.current.delete(page);
          setPages((m) => {
            const next = new Map([...m].filter(([p]) => Math.abs(p - page) <= KEEP_PAGES));
            next.set(page, r.rows);
            return next;
          });
        })
        .catch((err: unknown) => {
          inflight.current.delete(page);
          setError(toErrorBody(err));
        });
    },
    [runId, filter, sort],
  );

  useEffect(() => {
    if (total === 0) return;
    for (let p = firstPage; p <= lastPage; p++) {
      if (!pages.has(p) && !inflight.current.has(p)) load(p, pages.get(p - 1));
    }
  }, [firstPage, lastPage, pages, total, load]);

  const data = useMemo<Row[]>(() => [...pages].flatMap(([p, rows]) => rows.map((r, i) => ({ ...r, index: p * PAGE + i }))), [pages]);
  const table = useReactTable({
    data,
    columns: COLUMNS,
    state: { sorting },
    onSortingChange: setSorting,
    manualSorting: true,
    enableMultiSort: false,
    sortDescFirst: true,
    enableSortingRemoval: false,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (r) => String(r.index),
  });
  const byIndex = new Map(table.getRowModel().rows.map((r) => [r.original.index, r]));
  const visibleColumns = table.getVisibleLeafColumns();
  const padTop = items[0]?.start ?? 0;
  const padBottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);

  const apply = (next: FilterForm) => {
    setForm(next);
    // A bound that is no number is shown as such and the filter waits for it to be fixed.
    if (NUMBER_FIELDS.some((k) => notANumber(next[k]))) return;
    const filter = toFilter(next);
    setFilter(filter);
    onFilter?.(filter);
  };
  const field = (key: (typeof NUMBER_FIELDS)[number], label: string, placeholder: string) => {
    const bad = notANumber(form[key]);
    return (
      <label className="filter-field">
        <span className="field-label">{label}</span>
        <input
          className="input"
          inputMode="decimal"
          value={form[key]}
          placeholder={placeholder}
          onChange={(e) => setForm({ ...form, [key]: e.target.value })}
          aria-invalid={bad || undefined}
          data-testid={`filter-${key}`}
        />
        {bad ? (
          <span className="field-problem" data-testid={`filter-${key}-problem`}>
            {JSON.stringify(form[key].trim())} is not a number
          </span>
        ) : null}
      </label>
    );
  };

  return (
    <Card
      title="Reads"
      span={3}
      flush
      actions={
        <span className="muted" data-testid="reads-total" aria-live="polite">
          {total === null ? 'counting…' : `${formatNumber(total)} read${total === 1 ? '' : 's'} match`}
        </span>
      }
    >
      <form
        className="filter-bar"
        aria-label="Filter reads"
        onSubmit={(e) => {
          e.preventDefault();
          apply(form);
        }}
      >
        {field('qMin', 'q_bc ≥', 'min')}
        {field('qMax', 'q_bc ≤', 'max')}
        {field('lenMin', 'Length ≥', 'bp')}
        {field('lenMax', 'Length ≤', 'bp')}
        {field('edMax', 'ed ≤', 'max')}
        {field('qldMin', 'q_ld ≥', 'min')}
        <label className="filter-field">
          <span className="field-label">Reference</span>
          <select className="input" value={form.ref} onChange={(e) => apply({ ...form, ref: e.target.value })} data-testid="filter-ref">
            <option value="">Any</option>
            <option value={ASSIGNED}>Assigned</option>
            <option value={UNASSIGNED}>Unassigned</option>
            {refIds.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label className="filter-field">
          <span className="field-label">End reason</span>
          <select className="input" value={form.endReason} onChange={(e) => apply({ ...form, endReason: e.target.value })} data-testid="filter-end-reason">
            <option value="">Any</option>
            {endReasons.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <div className="filter-actions">
          <button type="submit" className="button primary">
            Apply
          </button>
          <button type="button" className="button" onClick={() => apply(EMPTY_FORM)}>
            Reset
          </button>
        </div>
      </form>
      {error ? <ErrorNotice error={error} compact /> : null}
      <ScrollFrame more={sideOverflow}>
        <div
          ref={scrollRef}
          className="table-scroll reads-scroll"
          style={{ height: rowCount * ROW_HEIGHT + HEADER_HEIGHT }}
          tabIndex={0} role="region" aria-labelledby={`${id}-caption`} data-testid="reads-scroll">
          <table className="table zebra reads-table" data-testid="reads-table" aria-rowcount={total ?? undefined}>
            <caption id={`${id}-caption`} className="visually-hidden">
              Reads of {runId}
            </caption>
            <thead>
              {table.getHeaderGroups().map((group) => (
                <tr key={group.id}>
                  {group.headers.map((header) => {
                    const meta = (header.column.columnDef.meta ?? {}) as Meta;
                    const sorted = header.column.getIsSorted();
                    return (
                      <th key={header.id} scope="col" className={meta.numeric ? 'num' : undefined} aria-sort={sorted ? (sorted === 'asc' ? 'ascending' : 'descending') : 'none'}>
                        {header.column.getCanSort() ? (
                          <SortButton direction={sorted === false ? null : sorted} onClick={(e) => header.column.getToggleSortingHandler()?.(e)}>
                            {flexRender(header.column.columnDef.header, header.getContext())}
                          </SortButton>
                        ) : (
                          flexRender(header.column.columnDef.header, header.getContext())
                        )}
                      </th>
                    );
                  })}
                </tr>
              ))}
            </thead>
            <tbody>
              <SpacerRow columns={visibleColumns.length} height={padTop} />
              {items.map((item) => {
                const row = byIndex.get(item.index);
                if (!row) {
                  return (
                    <tr key={item.key} style={{ height: ROW_HEIGHT }} data-placeholder aria-rowindex={item.index + 2}>
                      <td colSpan={visibleColumns.length} className="placeholder">
                        …
                      </td>
                    </tr>
                  );
                }
                return (
                  <tr key={item.key} style={{ height: ROW_HEIGHT }} aria-rowindex={item.index + 2} data-testid="read-row">
                    {row.getVisibleCells().map((cell) => {
                      const meta = (cell.column.columnDef.meta ?? {}) as Meta;
                      return (
                        <td key={cell.id} className={[meta.numeric ? 'num' : '', meta.mono ? 'mono' : ''].join(' ').trim() || undefined}>
                          {flexRender(cell.column.columnDef.cell, cell.getContext())}
                        </td>
                      );
                    })}
                  </tr>
                );
              })}
              <SpacerRow columns={visibleColumns.length} height={padBottom} />
            </tbody>
          </table>
          {total === 0 ? <p className="empty">No reads match the filter.</p> : null}
        </div>
      </ScrollFrame>
      <ExportBar runId={runId} filter={filter} sort={sort} />
    </Card>
  );
}

type ExportState =
  | { step: 'idle' }
  | { step: 'running'; rows: number; total: number }
  | { step: 'confirm' }
  | { step: 'done'; path: string; rows: number }
  | { step: 'error'; error: ApiErrorBody };

/** Export the filtered rows, in the table's order, to a CSV or TSV file. */
function ExportBar({ runId, filter, sort }: { runId: string; filter: ReadsFilter; sort: ReadsSort }) {
  const [format, setFormat] = useState<'csv' | 'tsv'>('csv');
  const [path, setPath] = useState('');
  const [note, setNote] = useState<string | null>(null);
  const [state, setState] = useState<ExportState>({ step: 'idle' });
  const exportId = useRef('');
  const pathId = useId();

  useEffect(
    () =>
      subscribe('reads.export', (p) => {
        if (p.exportId === exportId.current) setState((s) => (s.step === 'running' ? { step: 'running', rows: p.rows, total: p.total } : s));
      }),
    [],
  );

  async function chooseFile() {
    setNote(null);
    try {
      const result = await request('dialog.save', { title: 'Export reads', defaultPath: `${runId}_reads.${format}`, filters: [{ name: format.toUpperCase(), extensions: [format] }] });
      if (result.path) setPath(result.path);
    } catch (err) {
      const body = toErrorBody(err);
      setNote(body.code === 'unsupported' ? 'No file dialog in the browser: type the full path of the file on the computer running Benchtop.' : body.message);
    }
  }

  async function run(overwrite: boolean) {
    exportId.current = `${runId}-${Date.now()}`;
    setState({ step: 'running', rows: 0, total: 0 });
    try {
      const result = await request('reads.export', { runId, filter, sort, format, path: path.trim(), overwrite, exportId: exportId.current });
      setState({ step: 'done', path: result.path, rows: result.rows });
    } catch (err) {
      const body = toErrorBody(err);
      setState(body.code === 'conflict' && /exists already/.test(body.message) ? { step: 'confirm' } : { step: 'error', error: body });
    }
  }

  return (
    <div className="export-bar" data-testid="export-bar">
      <label className="filter-field">
        <span className="field-label">Format</span>
        <select className="input" value={format} onChange={(e) => setFormat(e.target.value as 'csv' | 'tsv')} data-testid="export-format">
          <option value="csv">CSV</option>
          <option value="tsv">TSV</option>
        </select>
      </label>
      <label className="filter-field export-path" htmlFor={pathId}>
        <span className="field-label">Export to</span>
        <div className="input-row">
          <input id={pathId} className="input mono" value={path} onChange={(e) => setPath(e.target.value)} placeholder={`/path/to/${runId}_reads.${format}`} spellCheck={false} data-testid="export-path" />
          <button type="button" className="button" onClick={() => void chooseFile()}>
            Save as…
          </button>
          <button type="button" className="button primary" disabled={!path.trim() || state.step === 'running'} onClick={() => void run(false)}>
            Export filtered reads
          </button>
        </div>
      </label>
      <div className="export-status" role="status" data-testid="export-status">
        {note ? <span className="field-note">{note}</span> : null}
        {state.step === 'running' ? (
          <>
            <progress max={state.total || 1} value={state.rows} /> {formatNumber(state.rows)} / {formatNumber(state.total)} rows{' '}
            <button type="button" className="button" onClick={() => void request('reads.exportCancel', { exportId: exportId.current })}>
              Cancel
            </button>
          </>
        ) : null}
        {state.step === 'confirm' ? (
          <>
            <span>{path} exists already. Replace it?</span>{' '}
            <button type="button" className="button danger" onClick={() => void run(true)}>
              Replace
            </button>{' '}
            <button type="button" className="button" onClick={() => setState({ step: 'idle' })}>
              Keep it
            </button>
          </>
        ) : null}
        {state.step === 'done' ? (
          <span className="ok-text">
            Wrote {formatNumber(state.rows)} rows to <span className="mono">{state.path}</span>
          </span>
        ) : null}
        {state.step === 'error' ? <ErrorNotice error={state.error} compact /> : null}
      </div>
    </div>
  );
}
