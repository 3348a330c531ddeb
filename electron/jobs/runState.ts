import type Database from 'better-sqlite3';

/**
 * Derives a run's `status` and `current_step` from its jobs (seed 001's semantics):
 * a job running (or starting) → 'running' and the step it runs; else a job waiting → 'pending'; else the
 * status of the job that ended last, with no current step. A run without jobs is left alone.
 */
export function refreshRunState(db: Database.Database, runId: string): void {
  const running = db
    .prepare("SELECT step_name FROM jobs WHERE run_id = ? AND status IN ('starting', 'running') ORDER BY started_at DESC, id DESC LIMIT 1")
    .pluck()
    .get(runId) as string | undefined;
  let status: string;
  let currentStep: string | null = null;
  if (running !== undefined) {
    status = 'running';
    currentStep = running;
  } else {
    const pending = db.prepare("SELECT 1 FROM jobs WHERE run_id = ? AND status = 'pending' LIMIT 1").pluck().get(runId);
    if (pending !== undefined) {
      status = 'pending';
    } else {
      const last = db
        .prepare(
          "SELECT status FROM jobs WHERE run_id = ? AND status NOT IN ('pending', 'starting', 'running') ORDER BY completed_at DESC, id DESC LIMIT 1",
        )
        .pluck()
        .get(runId) as string | undefined;
      if (last === undefined) return;
      status = last;
    }
  }
  db.prepare(
    "UPDATE runs SET status = ?, current_step = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ? AND (status IS NOT ? OR current_step IS NOT ?)",
  ).run(status, currentStep, runId, status, currentStep);
}
