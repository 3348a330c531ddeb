export {
  checkExecutable,
  checkStepTools,
  extractVersion,
  findOnPath,
  invalidateTools,
  pathDirs,
  probeTool,
  probeTools,
  resolveTool,
  runVersionProbe,
  toolRequirements,
  VERSION_TIMEOUT_MS,
  type ProbeOptions,
  type ToolRequirement,
} from './probe';
export { readToolPaths, writeToolPath } from './settings';
