import type { JobInfo, JobProgress, JobStatus } from '../../shared/schemas/jobs';

/** A row of the jobs table, as better-sqlite3 returns it. */
export interface JobRow {
  id: number;
  run_id: string;
  step_name: string;
  attempt: number;
  status: JobStatus;
  argv: string | null;
  tool: string | null;
  tool_version: string | null;
  pid: number | null;
  pgid: number | null;
  proc_start_time: string | null;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  exit_code: number | null;
  log_file: string | null;
  error_message: string | null;
  /** The wrapper's exit file, relative to the workspace; null for jobs not started yet (and older ones). */
  exit_file: string | null;
}

/** The argv column holds a JSON array of strings; anything else reads as no argv. */
export function parseArgv(json: string | null): string[] {
  if (json === null) return [];
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) && value.every((a) => typeof a === 'string') ? (value as string[]) : [];
  } catch {
    return [];
  }
}

export function jobInfoFromRow(row: JobRow, progress: JobProgress | null = null): JobInfo {
  return {
    id: row.id,
    runId: row.run_id,
    step: row.step_name,
    attempt: row.attempt,
    status: row.status,
    argv: parseArgv(row.argv),
    tool: row.tool,
    toolVersion: row.tool_version,
    pid: row.pid,
    pgid: row.pgid,
    createdAt: row.created_at ?? '',
    startedAt: row.started_at,
    completedAt: row.completed_at,
    exitCode: row.exit_code,
    logFile: row.log_file,
    error: row.error_message,
    progress,
  };
}
