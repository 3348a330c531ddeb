import { ApiError } from '../../shared/errors';
import type { HandlerTable } from '../api/dispatch';
import type { Session } from '../api/session';
import { loadStepResult } from '../results';
import { getRun, setStepParams, stepDir } from '../runs';
import { findStep, workspaceStepCatalog } from '../steps';
import { notTrustedMessage, prepareLaunch } from './prepare';

type LaunchOps = 'steps.preflight' | 'jobs.start' | 'results.get';

/** Where runs, steps, tools and the job runner meet: preflight, launch, and a step's results. */
export function launchHandlers(session: Session): Pick<HandlerTable, LaunchOps> {
  return {
    'steps.preflight': async (request) => {
      const prepared = await prepareLaunch(session, request);
      return { ok: prepared.problems.length === 0, problems: prepared.problems, argv: prepared.argv };
    },
    'jobs.start': async (request) => {
      const prepared = await prepareLaunch(session, request);
      if (!prepared.step.trusted) throw new ApiError('conflict', `Cannot launch ${prepared.step.name}: ${notTrustedMessage(prepared.step)}`);
      if (!prepared.argv) {
        throw new ApiError('invalid_request', `Cannot launch ${request.step}: ${prepared.problems.map((p) => p.message).join('; ')}`);
      }
      // The run remembers the parameters its step last ran with: they are its configuration.
      setStepParams(session.workspace.db, request.runId, prepared.step.id, prepared.params);
      const primary = prepared.tools[0] ?? null;
      return session.jobs.enqueue({
        runId: request.runId,
        step: prepared.step.id,
        argv: prepared.argv,
        tool: primary?.name ?? null,
        toolVersion: primary?.version ?? null,
        cwd: prepared.stepDir,
        progress: prepared.step.progress,
      });
    },
    'results.get': ({ runId, step }) => {
      const def = findStep(workspaceStepCatalog(session.workspace.layout, session.host.configDir), step);
      if (!def) throw new ApiError('not_found', `There is no step "${step}".`);
      const run = getRun(session.workspace, runId);
      if (!def.results) return null;
      const lastJob = run.jobs.filter((j) => j.step === step).at(-1) ?? null;
      return loadStepResult(stepDir(session.workspace.layout, runId, step), def.results, { step, jobId: lastJob?.id ?? null });
    },
  };
}
