import { renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, relative, sep } from 'node:path';
import { StepResult } from '../../shared/schemas/results';

type ResultFile = StepResult['files'][number];

/** A file a step produced, as results list it: its path relative to the run's folder (the step dir's parent). */
export function resultFile(stepDir: string, path: string, label: string, kind: ResultFile['kind']): ResultFile {
  return { label, path: relative(dirname(stepDir), path).split(sep).join('/'), kind, bytes: statSync(path).size };
}

/** The job id the job runner gives a step's process, if it gives one (`BENCHTOP_JOB_ID`). */
export function jobIdFromEnv(env: NodeJS.ProcessEnv = process.env): number | null {
  const n = Number(env.BENCHTOP_JOB_ID);
  return env.BENCHTOP_JOB_ID && Number.isInteger(n) ? n : null;
}

/** Validates and writes `<stepDir>/results.json` atomically (a reader never sees half a file). */
export function writeStepResult(stepDir: string, result: StepResult): string {
  const checked = StepResult.parse(result);
  const path = `${stepDir}/results.json`;
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(checked, null, 2)}\n`);
  renameSync(tmp, path);
  return path;
}

/** An empty result for a step, to fill in. */
export function emptyResult(stepDir: string, step = basename(stepDir)): StepResult {
  return { step, jobId: jobIdFromEnv(), metrics: [], tables: [], plots: [], files: [] };
}

/** Round to `digits` decimals for display in results (never NaN: null when undefined). */
export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
