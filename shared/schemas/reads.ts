import { z } from 'zod';

/** Columns of a reads table a page can be sorted by. */
export const SORT_COLUMNS = ['q_bc', 'ed', 'q_ld', 'readlen', 'ref_id', 'end_reason', 'read_id'] as const;
export const SortColumn = z.enum(SORT_COLUMNS);
export type SortColumn = z.infer<typeof SortColumn>;

/** Numeric columns with a range filter. */
export const RANGE_COLUMNS = ['q_bc', 'ed', 'q_ld', 'readlen'] as const;
export type RangeColumn = (typeof RANGE_COLUMNS)[number];

const Range = z.object({ min: z.number().finite().optional(), max: z.number().finite().optional() }).strict();
const Name = z.string().min(1).max(500);

/** Every condition holds (AND); a range includes its bounds. */
export const ReadsFilter = z
  .object({
    q_bc: Range.optional(),
    ed: Range.optional(),
    q_ld: Range.optional(),
    readlen: Range.optional(),
    /** ref_id is one of these (with refNull: or unassigned). */
    refIds: z.array(Name).max(1000).optional(),
    /** true: unassigned reads (ref_id IS NULL) match too, or only them without refIds; false: assigned reads only. */
    refNull: z.boolean().optional(),
    endReasons: z.array(Name).max(100).optional(),
  })
  .strict();
export type ReadsFilter = z.infer<typeof ReadsFilter>;

export const ReadsSort = z.object({ column: SortColumn, dir: z.enum(['asc', 'desc']) }).strict();
export type ReadsSort = z.infer<typeof ReadsSort>;

/** Where the previous page ended (keyset paging): its last row's sort value and rowid. */
export const PageCursor = z.object({ value: z.union([z.number(), z.string(), z.null()]), rowid: z.number().int() }).strict();
export type PageCursor = z.infer<typeof PageCursor>;

export const ReadRow = z.object({
  rowid: z.number().int(),
  read_id: z.string(),
  readlen: z.number().nullable(),
  q_bc: z.number().nullable(),
  ed: z.number().nullable(),
  q_ld: z.number().nullable(),
  ref_id: z.string().nullable(),
  end_reason: z.string().nullable(),
  strand: z.string().nullable(),
});
export type ReadRow = z.infer<typeof ReadRow>;

export const BasecallRunInfo = z.object({
  run_id: z.string(),
  exp_id: z.string(),
  model_tier: z.string().nullable(),
  model_version: z.string().nullable(),
  trim: z.number().nullable(),
  mod_bitflag: z.number().nullable(),
  status: z.string().nullable(),
  sma_db_path: z.string().nullable(),
});
export type BasecallRunInfo = z.infer<typeof BasecallRunInfo>;

/** run_summaries as the ingest stored it (null when it stored none), plus what Benchtop computes from the reads. */
export const RunSummaryInfo = z.object({
  run: BasecallRunInfo,
  stored: z
    .object({
      total_reads: z.number().nullable(),
      matched_reads: z.number().nullable(),
      mean_qbc: z.number().nullable(),
      median_qbc: z.number().nullable(),
      mean_ed: z.number().nullable(),
      median_ed: z.number().nullable(),
      mean_qld: z.number().nullable(),
      er_signal_pos: z.number().nullable(),
      er_signal_neg: z.number().nullable(),
      er_unblock: z.number().nullable(),
      er_other: z.number().nullable(),
    })
    .nullable(),
  reads: z.number().int(),
  bases: z.number(),
  n50: z.number().nullable(),
  meanLength: z.number().nullable(),
  assigned: z.number().int(),
  meanQ: z.number().nullable(),
  medianQ: z.number().nullable(),
  meanEd: z.number().nullable(),
  meanQld: z.number().nullable(),
  /** Distinct references and end reasons of the run, for the filter bar. */
  refIds: z.array(z.string()),
  endReasons: z.array(z.string()),
});
export type RunSummaryInfo = z.infer<typeof RunSummaryInfo>;

export const HistogramSeries = z.object({ name: z.string(), y: z.array(z.number()) });
/** Bars: bin lower edges (x) and one or more count series (y[i] counts [x[i], x[i+1])). */
export const Histogram = z.object({
  x: z.array(z.number()),
  series: z.array(HistogramSeries),
  binWidth: z.number().optional(),
  logX: z.boolean().optional(),
});
export type Histogram = z.infer<typeof Histogram>;

export const RefStats = z.object({
  ref_id: z.string(),
  reads: z.number().int(),
  meanEd: z.number().nullable(),
  minEd: z.number().nullable(),
  maxEd: z.number().nullable(),
  meanQld: z.number().nullable(),
});

export const EndReasonCount = z.object({ end_reason: z.string(), category: z.string().nullable(), reads: z.number().int() });

export const ReadsHistograms = z.object({
  readLength: Histogram,
  qbc: Histogram,
  /** One series per reference. */
  edByRef: Histogram,
  qldByRef: Histogram,
  refs: z.array(RefStats),
  endReasons: z.array(EndReasonCount),
});
export type ReadsHistograms = z.infer<typeof ReadsHistograms>;

export const VERDICTS = ['pass', 'warn', 'fail'] as const;
export const Verdict = z.enum(VERDICTS);
export type Verdict = z.infer<typeof Verdict>;

export const QcCheck = z.object({
  id: z.string(),
  label: z.string(),
  /** Higher values are better (min/target) or lower ones (max/target). */
  better: z.enum(['higher', 'lower']),
  measured: z.number().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  target: z.number().nullable(),
  unit: z.string().optional(),
  /** null: no threshold set for it (or nothing to measure). */
  verdict: Verdict.nullable(),
  note: z.string().optional(),
});
export type QcCheck = z.infer<typeof QcCheck>;

export const LinkedLibrary = z.object({
  lib_id: z.string(),
  lib_name: z.string(),
  lib_version: z.string().nullable(),
  relationship: z.string().nullable(),
});

export const QcVerdict = z.discriminatedUnion('state', [
  z.object({ state: z.literal('no_library'), runId: z.string(), expId: z.string() }),
  z.object({
    state: z.literal('evaluated'),
    runId: z.string(),
    expId: z.string(),
    library: LinkedLibrary,
    /** Other libraries linked to the experiment (pick one with libId). */
    otherLibraries: z.array(LinkedLibrary),
    expectedConstructs: z.array(z.string()),
    /** Columns of lib_qc_thresholds that were NULL (or no row): the seed's defaults were used. */
    defaultsUsed: z.array(z.string()),
    checks: z.array(QcCheck),
    overall: Verdict.nullable(),
  }),
]);
export type QcVerdict = z.infer<typeof QcVerdict>;

export const ReadsComparison = z.object({
  expId: z.string(),
  runs: z.array(RunSummaryInfo),
  /** One series per run (named by run id), on shared bins. */
  readLength: Histogram,
  qbc: Histogram,
});
export type ReadsComparison = z.infer<typeof ReadsComparison>;

/** Predefined cross-experiment aggregates (no SQL from the user). */
export const QUERY_METRICS = [
  'reads',
  'bases',
  'mean_qbc',
  'mean_ed',
  'mean_qld',
  'assigned_fraction',
  'signal_positive_fraction',
  'reads_by_end_reason',
  'reads_by_ref',
] as const;
export const QueryMetric = z.enum(QUERY_METRICS);
export type QueryMetric = z.infer<typeof QueryMetric>;

export const QueryRow = z.object({
  expId: z.string(),
  runId: z.string(),
  /** The group for the *_by_* metrics (end reason, reference); null otherwise. */
  group: z.string().nullable(),
  value: z.number().nullable(),
});
export type QueryRow = z.infer<typeof QueryRow>;
