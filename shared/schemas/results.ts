import { z } from 'zod';

/**
 * What a step produced, in one shape for every step, so the renderer can show any of them:
 * headline figures, tables, plots and files. Built-in steps write it; parsers derive it from
 * external tools' reports (FastQC, cutadapt, fastp, flagstat).
 */
export const ResultMetric = z.object({
  label: z.string(),
  value: z.union([z.string(), z.number(), z.null()]),
  unit: z.string().optional(),
  verdict: z.enum(['pass', 'warn', 'fail']).optional(),
});

export const ResultColumn = z.object({
  key: z.string(),
  label: z.string(),
  type: z.enum(['text', 'number', 'percent']),
});

export const ResultTable = z.object({
  id: z.string(),
  title: z.string(),
  columns: z.array(ResultColumn),
  rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))),
  /** Rows left out of `rows` (the full table is in `file`). */
  truncated: z.number().int().nonnegative().optional(),
  file: z.string().optional(),
});

export const ResultPlot = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.enum(['histogram', 'bar', 'line']),
  xLabel: z.string(),
  yLabel: z.string(),
  logX: z.boolean().optional(),
  x: z.array(z.number()),
  series: z.array(z.object({ name: z.string(), y: z.array(z.number()) })),
});

export const ResultFile = z.object({
  label: z.string(),
  /** Relative to the run's folder. */
  path: z.string(),
  kind: z.enum(['html', 'tsv', 'bam', 'fastq', 'json', 'text', 'other']),
  bytes: z.number().int().nonnegative(),
});

export const StepResult = z.object({
  step: z.string(),
  jobId: z.number().int().nullable(),
  metrics: z.array(ResultMetric),
  tables: z.array(ResultTable),
  plots: z.array(ResultPlot),
  files: z.array(ResultFile),
});
export type StepResult = z.infer<typeof StepResult>;
