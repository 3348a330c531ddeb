import { existsSync, rmSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type Database from 'better-sqlite3';
import { readsDbFileName } from '../../db/reads';
import type { OpParsedRequest, OpResponse } from '../../shared/contract';
import { ApiError } from '../../shared/errors';
import type { BasecallRunInfo, Histogram, QcVerdict, QueryMetric, ReadRow, ReadsComparison, ReadsFilter, ReadsHistograms, RunSummaryInfo } from '../../shared/schemas/reads';
import { alignBins, seriesByKey, type Bin } from './histogram';
import { SqlTaskCancelled, SqlTaskError, type SqlPool } from './pool';
import { countStatement, EXPORT_COLUMNS, exportStatement, histogramStatements, LENGTH_BINS_PER_DECADE, pageStatements, perRefStatements, summaryStatements } from './sql';
import type { SqlTask, Statement } from './sqlWorker';
import { evaluate, n50, overall, withDefaults, type Thresholds } from './verdict';
import { readOnlyName } from '../../db/open';

export interface ReadsContext {
  /** The central database of the open workspace. */
  db: () => Database.Database;
  readsDir: () => string;
  pool: SqlPool;
  onExportProgress: (progress: { exportId: string; rows: number; total: number }) => void;
}

const EXPORT_PROGRESS_EVERY = 10_000;
/** Bins of the ed histograms per reference. */
const ED_BINS = 40;

interface RefRow {
  ref_id: string;
  reads: number;
  meanEd: number | null;
  minEd: number | null;
  maxEd: number | null;
  meanQld: number | null;
  sumEd: number;
  sumEdPerLen: number;
  withEd: number;
}

/** The results browser: every query runs in the worker pool, the central DB is read here (small rows only). */
export class ReadsService {
  private readonly ctx: ReadsContext;
  private readonly exports = new Map<string, AbortController>();
  private readonly counts = new Map<string, AbortController>();

  constructor(ctx: ReadsContext) {
    this.ctx = ctx;
  }

  private dbFile(expId: string): string {
    return join(this.ctx.readsDir(), readsDbFileName(expId));
  }

  private resolveRun(runId: string): { run: BasecallRunInfo; file: string } {
    const run = this.ctx
      .db()
      .prepare('SELECT run_id, exp_id, model_tier, model_version, trim, mod_bitflag, status, sma_db_path FROM basecall_runs WHERE run_id = ?')
      .get(runId) as BasecallRunInfo | undefined;
    if (!run) throw new ApiError('not_found', `There is no basecall run ${JSON.stringify(runId)}.`);
    if (run.exp_id === null) throw new ApiError('not_found', `Basecall run ${runId} belongs to no experiment.`);
    const file = this.dbFile(run.exp_id);
    if (!existsSync(file)) {
      throw new ApiError('not_found', `Experiment ${run.exp_id} has no reads database yet (${file}): ingest basecall run ${runId} first.`);
    }
    return { run, file };
  }

  private async exec<T>(task: SqlTask, options: Parameters<SqlPool['run']>[1] = {}): Promise<T> {
    try {
      // On a read-only disk the worker must open the files by names that say so (messages keep the paths).
      const names = { file: readOnlyName(task.file), ...(task.kind === 'all' && task.attach ? { attach: task.attach.map(readOnlyName) } : {}) };
      return await this.ctx.pool.run<T>({ ...task, ...names }, options);
    } catch (err) {
      if (err instanceof SqlTaskCancelled) throw err;
      if (err instanceof SqlTaskError) {
        const code = err.sqliteCode?.startsWith('SQLITE_CANTOPEN') || err.sqliteCode === 'SQLITE_NOTADB' ? 'io_error' : 'internal';
        throw new ApiError(code, `Reads database ${task.file}: ${err.message}`);
      }
      throw err;
    }
  }

  private all(file: string, statements: Statement[], attach?: string[]): Promise<unknown[][]> {
    return this.exec<unknown[][]>({ kind: 'all', file, statements, ...(attach ? { attach } : {}) });
  }

  async page(req: OpParsedRequest<'reads.page'>): Promise<OpResponse<'reads.page'>> {
    const { file } = this.resolveRun(req.runId);
    const statements = pageStatements(req.runId, req.filter, req.sort, req.limit, { offset: req.offset, after: req.after });
    const rows = (await this.all(file, statements)).flat().slice(0, req.limit) as ReadRow[];
    const last = rows.at(-1);
    const next = last && rows.length === req.limit ? { value: last[req.sort.column] as number | string | null, rowid: last.rowid } : null;
    return { rows, next };
  }

  /** Counting a big filtered run reads the whole range: a newer count with the same key cancels it. */
  async count(runId: string, filter: ReadsFilter, key?: string): Promise<number> {
    const { file } = this.resolveRun(runId);
    const controller = new AbortController();
    if (key !== undefined) {
      this.counts.get(key)?.abort();
      this.counts.set(key, controller);
    }
    try {
      const [[row]] = await this.exec<[[{ n: number }]]>({ kind: 'all', file, statements: [countStatement(runId, filter)] }, { signal: controller.signal });
      return row.n;
    } catch (err) {
      if (err instanceof SqlTaskCancelled) throw new ApiError('conflict', 'This count was superseded by a newer one.');
      throw err;
    } finally {
      if (key !== undefined && this.counts.get(key) === controller) this.counts.delete(key);
    }
  }

  private endReasonCategories(): Map<string, string | null> {
    const rows = this.ctx.db().prepare('SELECT end_reason, category FROM lk_end_reasons').all() as { end_reason: string; category: string | null }[];
    return new Map(rows.map((r) => [r.end_reason, r.category]));
  }

  async histograms(runId: string, filter: ReadsFilter): Promise<ReadsHistograms> {
    const { file } = this.resolveRun(runId);
    const [lengthBins, qBins, refRows, reasons] = (await this.all(file, histogramStatements(runId, filter))) as [Bin[], Bin[], RefRow[], { end_reason: string; reads: number }[]];
    const maxEd = Math.max(0, ...refRows.map((r) => r.maxEd ?? 0));
    const edWidth = Math.max(1, Math.ceil((maxEd + 1) / ED_BINS));
    const [edRows, qldRows] = (await this.all(file, perRefStatements(runId, filter, edWidth))) as [{ k: string; b: number; n: number }[], { k: string; b: number; n: number }[]];
    const categories = this.endReasonCategories();
    return {
      readLength: lengthHistogram([{ name: 'reads', bins: lengthBins }]),
      qbc: alignBins([{ name: 'reads', bins: qBins }], (b) => b, { binWidth: 1 }),
      edByRef: alignBins(seriesByKey(edRows), (b) => b * edWidth, { binWidth: edWidth }),
      qldByRef: alignBins(seriesByKey(qldRows), (b) => b, { binWidth: 1 }),
      refs: refRows.map(({ ref_id, reads, meanEd, minEd, maxEd, meanQld }) => ({ ref_id, reads, meanEd, minEd, maxEd, meanQld })),
      endReasons: reasons.map((r) => ({ ...r, category: categories.get(r.end_reason) ?? null })),
    };
  }

  private async summaryOf(run: BasecallRunInfo, file: string): Promise<RunSummaryInfo> {
    const [stored, aggregates, median, lengths, refs, reasons] = await this.all(file, summaryStatements(run.run_id));
    const agg = aggregates![0] as { reads: number; bases: number; meanLength: number | null; assigned: number; meanQ: number | null; meanEd: number | null; meanQld: number | null };
    return {
      run,
      stored: (stored![0] as RunSummaryInfo['stored'] | undefined) ?? null,
      ...agg,
      medianQ: (median![0] as { medianQ: number | null }).medianQ,
      n50: n50(lengths as { len: number; n: number }[]),
      refIds: (refs as { v: string }[]).map((r) => r.v),
      endReasons: (reasons as { v: string }[]).map((r) => r.v),
    };
  }

  async summary(runId: string): Promise<RunSummaryInfo> {
    const { run, file } = this.resolveRun(runId);
    return this.summaryOf(run, file);
  }

  async verdict(runId: string, libId?: string): Promise<QcVerdict> {
    const { run, file } = this.resolveRun(runId);
    const db = this.ctx.db();
    const links = db
      .prepare(
        `SELECT l.lib_id, s.lib_name, s.lib_version, l.relationship FROM lib_experiment_link l JOIN library_specs s ON s.lib_id = l.lib_id
         WHERE l.exp_id = ? ORDER BY l.relationship = 'primary' DESC, l.lib_id`,
      )
      .all(run.exp_id) as { lib_id: string; lib_name: string; lib_version: string | null; relationship: string | null }[];
    const library = libId === undefined ? links[0] : links.find((l) => l.lib_id === libId);
    if (libId !== undefined && !library) throw new ApiError('not_found', `Library ${libId} is not linked to experiment ${run.exp_id}.`);
    if (!library) return { state: 'no_library', runId, expId: run.exp_id };

    const { thresholds, defaultsUsed } = withDefaults(db.prepare('SELECT * FROM lib_qc_thresholds WHERE lib_id = ?').get(library.lib_id) as Partial<Thresholds> | undefined);
    const constructs = db.prepare('SELECT construct_id, name, length FROM lib_constructs WHERE lib_id = ?').all(library.lib_id) as { construct_id: string; name: string; length: number | null }[];
    const expected = new Set(constructs.flatMap((c) => [c.name, c.construct_id]));
    const refLength = new Map<string, number>();
    for (const c of constructs) {
      if (c.length) for (const key of [c.name, c.construct_id]) refLength.set(key, c.length);
    }
    // The central references table, where the ingest recorded the targets, wins over the spec's lengths.
    for (const r of db.prepare('SELECT ref_id, ref_len FROM "references" WHERE ref_len > 0').all() as { ref_id: string; ref_len: number }[]) refLength.set(r.ref_id, r.ref_len);

    const statements = histogramStatements(runId, {}).slice(2);
    const [summary, [refRows, reasonRows]] = await Promise.all([this.summaryOf(run, file), this.all(file, statements) as Promise<[RefRow[], { end_reason: string; reads: number }[]]>]);
    const total = summary.reads;
    const fraction = (n: number) => (total > 0 ? n / total : null);
    const categories = this.endReasonCategories();
    const withEd = refRows.reduce((s, r) => s + r.withEd, 0);
    const edSum = refRows.reduce((s, r) => {
      const len = refLength.get(r.ref_id);
      return s + (len ? r.sumEd / len : r.sumEdPerLen);
    }, 0);
    const checks = evaluate(
      {
        meanQ: summary.meanQ,
        medianQ: summary.medianQ,
        purity: constructs.length > 0 ? fraction(refRows.filter((r) => expected.has(r.ref_id)).reduce((s, r) => s + r.reads, 0)) : null,
        errorRate: withEd > 0 ? edSum / withEd : null,
        n50: summary.n50,
        reads: total,
        bases: summary.bases,
        signalPositive: fraction(reasonRows.find((r) => r.end_reason === 'signal_positive')?.reads ?? 0),
        unblock: fraction(reasonRows.filter((r) => categories.get(r.end_reason) === 'rejected').reduce((s, r) => s + r.reads, 0)),
      },
      thresholds,
    );
    if (constructs.length === 0) {
      const purity = checks.find((c) => c.id === 'purity');
      if (purity) purity.note = 'The library spec has no constructs: nothing to count as expected.';
    }
    const unknownLength = refRows.filter((r) => !refLength.has(r.ref_id)).map((r) => r.ref_id);
    if (unknownLength.length > 0) {
      const rate = checks.find((c) => c.id === 'error_rate');
      if (rate) rate.note = `No reference length for ${unknownLength.join(', ')}: the read length stands in for it.`;
    }
    return {
      state: 'evaluated',
      runId,
      expId: run.exp_id,
      library,
      otherLibraries: links.filter((l) => l !== library),
      expectedConstructs: [...new Set(constructs.map((c) => c.name))],
      defaultsUsed,
      checks,
      overall: overall(checks),
    };
  }

  async compare(expId: string, runIds?: string[]): Promise<ReadsComparison> {
    const file = this.dbFile(expId);
    if (!existsSync(file)) throw new ApiError('not_found', `Experiment ${expId} has no reads database yet (${file}).`);
    let runs = this.ctx
      .db()
      .prepare('SELECT run_id, exp_id, model_tier, model_version, trim, mod_bitflag, status, sma_db_path FROM basecall_runs WHERE exp_id = ? ORDER BY created_at, run_id')
      .all(expId) as BasecallRunInfo[];
    if (runIds) {
      const unknown = runIds.filter((id) => !runs.some((r) => r.run_id === id));
      if (unknown.length > 0) throw new ApiError('not_found', `Experiment ${expId} has no basecall run ${unknown.join(', ')}.`);
      runs = runIds.map((id) => runs.find((r) => r.run_id === id)!);
    }
    const results = await Promise.all(
      runs.map(async (run) => {
        const [summary, [lengthBins, qBins]] = await Promise.all([this.summaryOf(run, file), this.all(file, histogramStatements(run.run_id, {}).slice(0, 2)) as Promise<[Bin[], Bin[]]>]);
        return { summary, lengthBins, qBins };
      }),
    );
    return {
      expId,
      runs: results.map((r) => r.summary),
      readLength: lengthHistogram(results.map((r) => ({ name: r.summary.run.run_id, bins: r.lengthBins }))),
      qbc: alignBins(
        results.map((r) => ({ name: r.summary.run.run_id, bins: r.qBins })),
        (b) => b,
        { binWidth: 1 },
      ),
    };
  }

  async query(expIds: string[], metric: QueryMetric): Promise<OpResponse<'reads.query'>> {
    const present = expIds.filter((id) => existsSync(this.dbFile(id)));
    const missing = expIds.filter((id) => !present.includes(id));
    if (present.length === 0) return { metric, rows: [], missing };
    const [expr, group] = QUERY_EXPRESSIONS[metric];
    const parts = present.map((_, i) => {
      const schema = i === 0 ? 'main' : `s${i}`;
      return `SELECT ? AS expId, run_id AS runId, ${group ?? 'NULL'} AS "group", ${expr} AS value FROM ${schema}.reads GROUP BY 2${group ? ', 3' : ''}`;
    });
    const sql = `${parts.join(' UNION ALL ')} ORDER BY expId, runId, "group"`;
    const [rows] = await this.all(this.dbFile(present[0]!), [{ sql, params: present }], present.slice(1).map((id) => this.dbFile(id)));
    return { metric, rows: rows as OpResponse<'reads.query'>['rows'], missing };
  }

  async export(req: OpParsedRequest<'reads.export'>): Promise<OpResponse<'reads.export'>> {
    const { path } = req;
    if (!isAbsolute(path)) throw new ApiError('invalid_request', `Export path ${path} is not absolute: choose the file with Save as… or give a full path.`);
    if (!existsSync(dirname(path)) || !statSync(dirname(path)).isDirectory()) throw new ApiError('not_found', `The folder ${dirname(path)} does not exist.`);
    if (existsSync(path)) {
      if (statSync(path).isDirectory()) throw new ApiError('invalid_request', `${path} is a folder: name a file.`);
      if (!req.overwrite) throw new ApiError('conflict', `${path} exists already: confirm to replace it.`);
    }
    const { file } = this.resolveRun(req.runId);
    const exportId = req.exportId ?? `export-${Date.now()}`;
    if (this.exports.has(exportId)) throw new ApiError('conflict', `Export ${exportId} is running already.`);
    const controller = new AbortController();
    this.exports.set(exportId, controller);
    const partial = `${path}.partial`;
    try {
      const total = await this.count(req.runId, req.filter);
      this.ctx.onExportProgress({ exportId, rows: 0, total });
      const header = [...EXPORT_COLUMNS, ...(req.includeSequence ? ['readseq'] : [])];
      const result = await this.exec<{ rows: number; bytes: number }>(
        { kind: 'export', file, statement: exportStatement(req.runId, req.filter, req.sort, req.includeSequence), path, partial, header, format: req.format, progressEvery: EXPORT_PROGRESS_EVERY },
        { signal: controller.signal, onProgress: (rows) => this.ctx.onExportProgress({ exportId, rows, total }) },
      );
      this.ctx.onExportProgress({ exportId, rows: result.rows, total });
      return { path, ...result };
    } catch (err) {
      rmSync(partial, { force: true });
      if (err instanceof SqlTaskCancelled) throw new ApiError('conflict', `Export to ${path} was cancelled; no file was written.`);
      throw err;
    } finally {
      this.exports.delete(exportId);
    }
  }

  cancelExport(exportId: string): boolean {
    const controller = this.exports.get(exportId);
    controller?.abort();
    return controller !== undefined;
  }
}

/** Per-run SQL aggregate and optional group column of each predefined cross-experiment metric. */
const QUERY_EXPRESSIONS: Record<QueryMetric, [string, string | null]> = {
  reads: ['count(*)', null],
  bases: ['total(readlen)', null],
  mean_qbc: ['avg(q_bc)', null],
  mean_ed: ['avg(ed)', null],
  mean_qld: ['avg(q_ld)', null],
  assigned_fraction: ['avg(ref_id IS NOT NULL)', null],
  signal_positive_fraction: ["avg(end_reason IS 'signal_positive')", null],
  reads_by_end_reason: ['count(*)', "coalesce(end_reason, 'unknown')"],
  reads_by_ref: ['count(*)', 'ref_id'],
};

/** Log-binned read lengths: bin b's lower edge is 10^(b/B), rounded to whole bases. */
function lengthHistogram(series: { name: string; bins: Bin[] }[]): Histogram {
  return alignBins(series, (b) => Math.round(10 ** (b / LENGTH_BINS_PER_DECADE)), { logX: true });
}
