import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { ApiError } from '../../shared/errors';
import type { z } from 'zod';
import type { StepParams } from '../../shared/schemas/runs';
import type { PreflightProblem, ToolInfo } from '../../shared/schemas/steps';
import type { Session } from '../api/session';
import { getRun, stepDir } from '../runs';
import { benchtopCliPrefix, buildArgv, findStep, resolveStepInputs, validateStepParams, workspaceStepCatalog } from '../steps';
import type { StepDefinition } from '../steps/types';
import { checkStepTools } from '../tools/probe';
import { readToolPaths } from '../tools/settings';

export interface PreparedLaunch {
  step: StepDefinition;
  /** The full parameters the step runs with (stored params, overrides, defaults). */
  params: Record<string, string | number | boolean>;
  problems: PreflightProblem[];
  argv: string[] | null;
  tools: ToolInfo[];
  stepDir: string;
}

/** Why Launch is off for a step the workspace brought, until the user trusts the workspace. */
export function notTrustedMessage(step: Pick<StepDefinition, 'name' | 'file'>): string {
  return `Not trusted: "${step.name}" is defined by this workspace (${basename(step.file)} in its steps folder), and a workspace's own step definitions run nothing until you trust the workspace. Review the programs they would run, then choose "Trust this workspace".`;
}

/**
 * Everything Launch needs, checked: the step's definition, the run's stored parameters merged with
 * the overrides and validated, its inputs located, its tools found. `argv` is set only when nothing
 * is wrong; otherwise `problems` says exactly why.
 */
export async function prepareLaunch(session: Session, request: { runId: string; step: string; params?: z.input<typeof StepParams> | undefined }): Promise<PreparedLaunch> {
  const { layout } = session.workspace;
  const catalog = workspaceStepCatalog(layout, session.host.configDir);
  const step = findStep(catalog, request.step);
  if (!step) {
    const known = catalog.steps.map((s) => s.id).join(', ');
    throw new ApiError('not_found', `There is no step "${request.step}" (the steps: ${known || 'none'}).`);
  }
  const run = getRun(session.workspace, request.runId);
  const merged: Record<string, unknown> = { ...(run.params[step.id] ?? {}) };
  for (const [name, value] of Object.entries(request.params ?? {})) {
    if (value === null) delete merged[name];
    else merged[name] = value;
  }

  const problems: PreflightProblem[] = [];
  if (run.cleanedAt) {
    problems.push({ kind: 'run', field: null, message: `The run's files were cleaned on ${run.cleanedAt}; it has no inputs left to run on.` });
  }
  const validated = validateStepParams(step, merged);
  if (!validated.ok) problems.push(...validated.problems);
  const params = validated.ok ? validated.params : {};
  const inputs = resolveStepInputs(step, { runDir: run.dir, inputs: run.inputs, params: validated.ok ? params : merged, steps: catalog.steps });
  problems.push(...inputs.problems);
  if (!step.trusted) problems.push({ kind: 'trust', field: null, message: notTrustedMessage(step) });
  // Probing a tool runs the definition's version command: an untrusted definition's never runs.
  const tools = step.trusted ? await checkStepTools(step, readToolPaths(session.host.configDir)) : { tools: {}, infos: [], problems: [] };
  problems.push(...tools.problems);

  const dir = stepDir(layout, run.id, step.id);
  const argv =
    problems.length === 0
      ? buildArgv(step, {
          params,
          inputs: inputs.inputs,
          stepDir: dir,
          runDir: run.dir,
          tools: tools.tools,
          benchtop: benchtopCliPrefix(),
          threads: availableParallelism(),
        })
      : null;
  return { step, params, problems, argv, tools: tools.infos, stepDir: dir };
}
