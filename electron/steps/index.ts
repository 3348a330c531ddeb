export { benchtopCliPrefix, builtinStepsDir, checkDefinition, findStep, loadDefinitionFile, loadStepCatalog, packageRoot, stepDefaults, toStepInfo } from './loader';
export { checkParametersSchema } from './parameters';
export { checkPath, parseParamText, validateStepParams, type ValidatedParams } from './params';
export { resolveStepInputs, type ResolveInputsContext } from './inputs';
export { buildArgv, checkTemplate, parseTemplateString, TemplateError, type ArgvContext } from './template';
export { workspaceStepCatalog, workspaceTrustState, type WorkspaceCatalog } from './catalog';
export { recordTrust, trustFile } from './trust';
export type * from './types';
