/** Runs (seed 001): isolated folders, inputs with their sha256, queryable parameters, export/import, clean/delete. */
export { runDir, stepDir, logsDir, resolveInRun, relativeSegments, assertRunId, type LinkedInput } from './paths';
export {
  getStepParams,
  setStepParams,
  getRunParams,
  setRunState,
  getRunInputs,
  getRunJobs,
  activeJobCount,
  SEED_COLUMNS,
  type RunFilter,
  type RunStatus,
} from './repo';
export {
  createRun,
  getRun,
  listRuns,
  exportRun,
  importRun,
  cleanRun,
  deleteRun,
  type RunsWorkspace,
  type ActorOptions,
  type ImportRunRequest,
  type DeletedFiles,
} from './service';
export { listRunFiles, readRunText } from './files';
export { hashFile } from './ingest';
export { runsHandlers } from './handlers';
