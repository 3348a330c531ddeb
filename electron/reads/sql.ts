/** The SQL of the results browser, built from validated requests: column names come from fixed lists only. */
import { RANGE_COLUMNS, type PageCursor, type ReadsFilter, type ReadsSort } from '../../shared/schemas/reads';
import type { SqlValue, Statement } from './sqlWorker';

export const ROW_COLUMNS = 'rowid, read_id, readlen, q_bc, ed, q_ld, ref_id, end_reason, strand';

/** Columns of an export, in file order (readseq last, when asked for). */
export const EXPORT_COLUMNS = ['read_id', 'run_id', 'readlen', 'q_bc', 'ed', 'q_ld', 'ref_id', 'strand', 'end_reason'] as const;

/** `run_id = ? AND …` for one basecall run and a filter. */
export function whereClause(runId: string, filter: ReadsFilter): { sql: string; params: SqlValue[] } {
  const parts = ['run_id = ?'];
  const params: SqlValue[] = [runId];
  for (const column of RANGE_COLUMNS) {
    const range = filter[column];
    if (range?.min !== undefined) {
      parts.push(`${column} >= ?`);
      params.push(range.min);
    }
    if (range?.max !== undefined) {
      parts.push(`${column} <= ?`);
      params.push(range.max);
    }
  }
  const ids = filter.refIds ?? [];
  const inList = ids.length > 0 ? `ref_id IN (${ids.map(() => '?').join(', ')})` : null;
  if (filter.refNull === true) parts.push(inList ? `(${inList} OR ref_id IS NULL)` : 'ref_id IS NULL');
  else if (filter.refNull === false) parts.push(inList ? inList : 'ref_id IS NOT NULL');
  else if (inList) parts.push(inList);
  params.push(...ids);
  const reasons = filter.endReasons ?? [];
  if (reasons.length > 0) {
    parts.push(`end_reason IN (${reasons.map(() => '?').join(', ')})`);
    params.push(...reasons);
  }
  return { sql: parts.join(' AND '), params };
}

function ordered(sort: ReadsSort): string {
  const dir = sort.dir === 'asc' ? 'ASC' : 'DESC';
  return `ORDER BY ${sort.column} ${dir}, rowid ${dir}`;
}

/**
 * One page as one or two statements whose rows, concatenated and cut at `limit`, are the page.
 * SQLite sorts NULL below every value (first ascending, last descending); keyset paging keeps that
 * order by walking the NULL and non-NULL parts of the sort column as separate index ranges.
 */
export function pageStatements(
  runId: string,
  filter: ReadsFilter,
  sort: ReadsSort,
  limit: number,
  position: { offset: number; after?: PageCursor | undefined },
): Statement[] {
  const where = whereClause(runId, filter);
  const select = (extra: string, order: string, extraParams: SqlValue[], tail = 'LIMIT ?', tailParams: SqlValue[] = [limit]) => ({
    sql: `SELECT ${ROW_COLUMNS} FROM reads WHERE ${where.sql}${extra} ${order} ${tail}`,
    params: [...where.params, ...extraParams, ...tailParams],
  });
  const { after } = position;
  if (!after) return [select('', ordered(sort), [], 'LIMIT ? OFFSET ?', [limit, position.offset])];
  const col = sort.column;
  const byRowid = (dir: 'ASC' | 'DESC') => `ORDER BY rowid ${dir}`;
  if (sort.dir === 'asc') {
    if (after.value === null) {
      return [
        select(` AND ${col} IS NULL AND rowid > ?`, byRowid('ASC'), [after.rowid]),
        select(` AND ${col} IS NOT NULL`, ordered(sort), []),
      ];
    }
    return [select(` AND (${col}, rowid) > (?, ?)`, ordered(sort), [after.value, after.rowid])];
  }
  if (after.value === null) return [select(` AND ${col} IS NULL AND rowid < ?`, byRowid('DESC'), [after.rowid])];
  return [
    select(` AND (${col}, rowid) < (?, ?)`, ordered(sort), [after.value, after.rowid]),
    select(` AND ${col} IS NULL`, byRowid('DESC'), []),
  ];
}

/**
 * The index a filtered query reads (0003_filter_indexes.sql: each holds every filter column), led by
 * the filter's equality when it has one. Null without a filter, and for a count on one column, whose
 * own index covers it; the histograms group by other columns, so they take it for one column too.
 */
export function filterIndex(filter: ReadsFilter, use: 'count' | 'histograms' = 'count'): string | null {
  const columns = new Set<string>();
  for (const column of RANGE_COLUMNS) if (filter[column]?.min !== undefined || filter[column]?.max !== undefined) columns.add(column);
  if ((filter.refIds ?? []).length > 0 || filter.refNull !== undefined) columns.add('ref_id');
  if ((filter.endReasons ?? []).length > 0) columns.add('end_reason');
  if (columns.size === 0 || (columns.size === 1 && use === 'count')) return null;
  if (columns.has('end_reason')) return 'idx_reads_run_reason_filters';
  if ((filter.refIds ?? []).length > 0) return 'idx_reads_run_ref_filters';
  return 'idx_reads_run_filters';
}

/** `reads`, with the index that holds a filter of several columns (every column the histograms group by, too). */
function filteredReads(filter: ReadsFilter, use: 'count' | 'histograms'): string {
  const index = filterIndex(filter, use);
  return index ? `reads INDEXED BY ${index}` : 'reads';
}

export function countStatement(runId: string, filter: ReadsFilter): Statement {
  const where = whereClause(runId, filter);
  return { sql: `SELECT count(*) AS n FROM ${filteredReads(filter, 'count')} WHERE ${where.sql}`, params: where.params };
}

export function exportStatement(runId: string, filter: ReadsFilter, sort: ReadsSort, includeSequence: boolean): Statement {
  const where = whereClause(runId, filter);
  const columns = [...EXPORT_COLUMNS, ...(includeSequence ? ['readseq'] : [])].join(', ');
  return { sql: `SELECT ${columns} FROM reads WHERE ${where.sql} ${ordered(sort)}`, params: where.params };
}

/** Read-length bins per decade of the log-binned histogram: bin b covers [10^(b/B), 10^((b+1)/B)). */
export const LENGTH_BINS_PER_DECADE = 20;

/** Statements for the first part of the histograms: length, q_bc, per-reference stats, end reasons. */
export function histogramStatements(runId: string, filter: ReadsFilter): Statement[] {
  const w = whereClause(runId, filter);
  const from = filteredReads(filter, 'histograms');
  const q = (sql: string): Statement => ({ sql, params: w.params });
  return [
    q(`SELECT CAST(floor(log10(readlen) * ${LENGTH_BINS_PER_DECADE}) AS INTEGER) AS b, count(*) AS n FROM ${from} WHERE ${w.sql} AND readlen > 0 GROUP BY b ORDER BY b`),
    q(`SELECT CAST(floor(q_bc) AS INTEGER) AS b, count(*) AS n FROM ${from} WHERE ${w.sql} AND q_bc IS NOT NULL GROUP BY b ORDER BY b`),
    q(`SELECT ref_id, count(*) AS reads, avg(ed) AS meanEd, min(ed) AS minEd, max(ed) AS maxEd, avg(q_ld) AS meanQld, total(ed) AS sumEd, total(CAST(ed AS REAL) / readlen) AS sumEdPerLen, count(ed) AS withEd FROM ${from} WHERE ${w.sql} AND ref_id IS NOT NULL GROUP BY ref_id ORDER BY ref_id`),
    q(`SELECT coalesce(end_reason, 'unknown') AS end_reason, count(*) AS reads FROM ${from} WHERE ${w.sql} GROUP BY 1 ORDER BY 2 DESC, 1`),
  ];
}

/** Statements for ed (bins of `edWidth`) and q_ld (bins of 1) per reference. */
export function perRefStatements(runId: string, filter: ReadsFilter, edWidth: number): Statement[] {
  const w = whereClause(runId, filter);
  const from = filteredReads(filter, 'histograms');
  return [
    {
      sql: `SELECT ref_id AS k, CAST(ed / ? AS INTEGER) AS b, count(*) AS n FROM ${from} WHERE ${w.sql} AND ref_id IS NOT NULL AND ed IS NOT NULL GROUP BY k, b ORDER BY k, b`,
      params: [edWidth, ...w.params],
    },
    {
      sql: `SELECT ref_id AS k, CAST(floor(q_ld) AS INTEGER) AS b, count(*) AS n FROM ${from} WHERE ${w.sql} AND ref_id IS NOT NULL AND q_ld IS NOT NULL GROUP BY k, b ORDER BY k, b`,
      params: w.params,
    },
  ];
}

/** Statements for a run's summary: stored row, aggregates, median q_bc, length counts (N50), distinct refs and end reasons. */
export function summaryStatements(runId: string): Statement[] {
  const p = [runId];
  const nq = '(SELECT count(q_bc) FROM reads WHERE run_id = ?)';
  return [
    { sql: 'SELECT total_reads, matched_reads, mean_qbc, median_qbc, mean_ed, median_ed, mean_qld, er_signal_pos, er_signal_neg, er_unblock, er_other FROM run_summaries WHERE run_id = ?', params: p },
    {
      sql: 'SELECT count(*) AS reads, total(readlen) AS bases, avg(readlen) AS meanLength, count(ref_id) AS assigned, avg(q_bc) AS meanQ, avg(ed) AS meanEd, avg(q_ld) AS meanQld FROM reads WHERE run_id = ?',
      params: p,
    },
    {
      sql: `SELECT avg(q_bc) AS medianQ FROM (SELECT q_bc FROM reads WHERE run_id = ? AND q_bc IS NOT NULL ORDER BY q_bc LIMIT 2 - ${nq} % 2 OFFSET (${nq} - 1) / 2)`,
      params: [runId, runId, runId],
    },
    { sql: 'SELECT readlen AS len, count(*) AS n FROM reads WHERE run_id = ? AND readlen > 0 GROUP BY readlen ORDER BY readlen DESC', params: p },
    { sql: 'SELECT DISTINCT ref_id AS v FROM reads WHERE run_id = ? AND ref_id IS NOT NULL ORDER BY 1', params: p },
    { sql: 'SELECT DISTINCT coalesce(end_reason, \'unknown\') AS v FROM reads WHERE run_id = ? ORDER BY 1', params: p },
  ];
}
