import { z } from 'zod';
import {
  PageCursor,
  QueryMetric,
  QueryRow,
  QcVerdict,
  ReadRow,
  ReadsComparison,
  ReadsFilter,
  ReadsHistograms,
  ReadsSort,
  RunSummaryInfo,
} from '../schemas/reads';
import { op } from './define';

const RunId = z.string().min(1).max(200);
const ExpId = z.string().min(1).max(200);

export const ReadsPageRequest = z
  .object({
    runId: RunId,
    filter: ReadsFilter.default({}),
    sort: ReadsSort.default({ column: 'q_bc', dir: 'desc' }),
    limit: z.number().int().min(1).max(1000).default(100),
    /** Offset paging (any page); ignored when `after` is given. */
    offset: z.number().int().nonnegative().default(0),
    /** Keyset paging: the page after this row (the previous page's `next`). */
    after: PageCursor.optional(),
  })
  .strict();
export const ReadsPageResult = z.object({
  rows: z.array(ReadRow),
  /** Cursor for the next page, null after the last row. */
  next: PageCursor.nullable(),
});

export const ReadsCountRequest = z
  .object({
    runId: RunId,
    filter: ReadsFilter.default({}),
    /** A running count with the same key is cancelled: a table's count for its previous filter. */
    key: z.string().min(1).max(100).optional(),
  })
  .strict();
export const ReadsCountResult = z.object({ total: z.number().int().nonnegative() });

export const ReadsExportRequest = z
  .object({
    runId: RunId,
    filter: ReadsFilter.default({}),
    sort: ReadsSort.default({ column: 'q_bc', dir: 'desc' }),
    format: z.enum(['csv', 'tsv']),
    /** Absolute path of the file to write. */
    path: z.string().min(1).max(4096),
    /** An existing file is replaced only with this set (the user confirmed). */
    overwrite: z.boolean().default(false),
    includeSequence: z.boolean().default(false),
    /** The caller's id for this export: progress events carry it and reads.exportCancel takes it. */
    exportId: z.string().min(1).max(100).optional(),
  })
  .strict();
export const ReadsExportResult = z.object({ path: z.string(), rows: z.number().int().nonnegative(), bytes: z.number().int().nonnegative() });

export const ReadsExportProgress = z.object({
  exportId: z.string(),
  rows: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
});

export const ReadsRunRequest = z.object({ runId: RunId }).strict();
export const ReadsHistogramsRequest = z.object({ runId: RunId, filter: ReadsFilter.default({}) }).strict();
export const ReadsVerdictRequest = z.object({ runId: RunId, libId: z.string().min(1).max(200).optional() }).strict();
export const ReadsCompareRequest = z
  .object({ expId: ExpId, runIds: z.array(RunId).min(1).max(20).optional() })
  .strict();
export const ReadsQueryRequest = z
  .object({ expIds: z.array(ExpId).min(1).max(10), metric: QueryMetric })
  .strict();
export const ReadsQueryResult = z.object({
  metric: QueryMetric,
  rows: z.array(QueryRow),
  /** Experiments asked for that have no reads database yet. */
  missing: z.array(z.string()),
});

export const readsOps = {
  'reads.page': op('A page of one basecall run\'s reads, filtered and sorted (offset or keyset paging)', ReadsPageRequest, ReadsPageResult),
  'reads.count': op('How many reads of a basecall run match a filter', ReadsCountRequest, ReadsCountResult),
  'reads.export': op('Write the filtered reads of a basecall run to a CSV or TSV file (streamed, with progress)', ReadsExportRequest, ReadsExportResult),
  'reads.exportCancel': op('Stop a running export; its partial file is removed', z.object({ exportId: z.string().min(1).max(100) }).strict(), z.object({ cancelled: z.boolean() })),
  'reads.histograms': op('Read-length (log bins), q_bc, ed and q_ld per reference histograms and end-reason counts of a basecall run', ReadsHistogramsRequest, ReadsHistograms),
  'reads.summary': op('A basecall run\'s stored run_summaries row with N50, bases and the other figures computed from its reads', ReadsRunRequest, RunSummaryInfo),
  'reads.verdict': op("QC verdict of a basecall run against the linked library's lib_qc_thresholds", ReadsVerdictRequest, QcVerdict),
  'reads.compare': op('Basecall runs of one experiment side by side: summaries and overlaid histograms', ReadsCompareRequest, ReadsComparison),
  'reads.query': op('One predefined metric across experiments (their SMA databases attached read-only), per basecall run', ReadsQueryRequest, ReadsQueryResult),
} as const;
