/**
 * The results layer: a registry of parsers by id, each `(stepDir) => StepResult | null` (null: the
 * step has produced no report yet). A step definition names its parser in `"results"`.
 *
 *   builtin   results.json written by a built-in step (umi, readlen, read_mapping, site_analysis)
 *   fastqc    FastQC summary.txt (or the _fastqc.zip) → module × file verdicts, HTML reports
 *   cutadapt  cutadapt --json report
 *   fastp     fastp --json report
 *   flagstat  samtools flagstat text
 */
import { ApiError } from '../../shared/errors';
import { StepResult } from '../../shared/schemas/results';
import { parseBuiltinStep } from './builtin';
import { parseCutadaptStep } from './cutadapt';
import { parseFastpStep } from './fastp';
import { parseFastqcStep } from './fastqc';
import { parseFlagstatStep } from './flagstat';
import { ReportError } from './report';

export type ResultParser = (stepDir: string) => StepResult | null;

export const RESULT_PARSERS: Readonly<Record<string, ResultParser>> = {
  builtin: parseBuiltinStep,
  fastqc: parseFastqcStep,
  cutadapt: parseCutadaptStep,
  fastp: parseFastpStep,
  flagstat: parseFlagstatStep,
};

export function resultParserIds(): string[] {
  return Object.keys(RESULT_PARSERS);
}

/**
 * The result of a step: parsed by `parserId`, validated with the StepResult schema. A corrupt or
 * unreadable report is an ApiError 'io_error' whose message names the file; an unknown parser id is
 * 'not_found'. `step` and `jobId`, when given, override what the report says.
 */
export function loadStepResult(stepDir: string, parserId: string, override: { step?: string; jobId?: number | null } = {}): StepResult | null {
  const parser = Object.hasOwn(RESULT_PARSERS, parserId) ? RESULT_PARSERS[parserId] : undefined;
  if (!parser) throw new ApiError('not_found', `No results parser "${parserId}" (known: ${resultParserIds().join(', ')}).`);
  let raw: StepResult | null;
  try {
    raw = parser(stepDir);
  } catch (err) {
    if (err instanceof ReportError) throw new ApiError('io_error', err.message);
    const e = err as NodeJS.ErrnoException;
    if (e.code && e.path) throw new ApiError('io_error', `${e.path}: ${e.message}`);
    throw err;
  }
  if (raw === null) return null;
  const parsed = StepResult.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiError('io_error', `${stepDir}: the ${parserId} report gave an invalid result (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'})`);
  }
  const result = parsed.data;
  if (override.step !== undefined) result.step = override.step;
  if (override.jobId !== undefined) result.jobId = override.jobId;
  return result;
}
