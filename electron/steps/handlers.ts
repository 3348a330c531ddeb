import { recordAudit } from '../../db/repos/audit';
import { ApiError } from '../../shared/errors';
import type { ToolInfo } from '../../shared/schemas/steps';
import type { HandlerTable } from '../api/dispatch';
import type { Session } from '../api/session';
import { expand } from '../workspace/resolve';
import { checkExecutable, invalidateTools, probeTool, probeTools, toolRequirements, type ToolRequirement } from '../tools/probe';
import { readToolPaths, writeToolPath } from '../tools/settings';
import { workspaceStepCatalog, workspaceTrustState, type WorkspaceCatalog } from './catalog';
import { toStepInfo } from './loader';
import { recordTrust } from './trust';

type StepsOps = 'steps.list' | 'steps.trustState' | 'steps.trust' | 'tools.list' | 'tools.setPath' | 'tools.refresh';

export const UNTRUSTED_TOOL =
  "Not checked: only this workspace's own step definitions need it, and they run nothing (not even a version check) until you trust the workspace.";

/** A tool only untrusted definitions need: listed so the user sees it, never run. */
function notChecked(req: ToolRequirement): ToolInfo {
  return {
    name: req.name,
    requiredBy: [...(req.requiredBy ?? [])],
    found: false,
    path: null,
    version: null,
    custom: false,
    error: UNTRUSTED_TOOL,
    install: { debian: req.debian, conda: req.conda },
  };
}

export function stepsHandlers(session: Session): Pick<HandlerTable, StepsOps> {
  const catalog = () => workspaceStepCatalog(session.workspace.layout, session.host.configDir);
  // Version probes run a definition's own argv: only trusted definitions are probed.
  const requirements = (c: WorkspaceCatalog) => toolRequirements(c.steps.filter((s) => s.trusted));
  const list = async () => {
    const c = catalog();
    const probed = await probeTools(requirements(c), readToolPaths(session.host.configDir));
    const known = new Set(probed.map((t) => t.name));
    const waiting = toolRequirements(c.steps.filter((s) => !s.trusted))
      .filter((r) => !known.has(r.name))
      .map(notChecked);
    return [...probed, ...waiting].sort((a, b) => a.name.localeCompare(b.name));
  };
  return {
    'steps.list': () => {
      const { steps, errors } = catalog();
      return { steps: steps.map(toStepInfo), errors };
    },
    'steps.trustState': () => workspaceTrustState(session.workspace.layout, session.host.configDir),
    'steps.trust': ({ hash }) => {
      const { layout } = session.workspace;
      const state = workspaceTrustState(layout, session.host.configDir);
      if (state.hash === null) return state;
      if (state.hash !== hash) {
        throw new ApiError(
          'conflict',
          `The step definitions in ${layout.stepsDir} changed since they were shown to you: look at them again before trusting this workspace.`,
        );
      }
      recordTrust(session.host.configDir, state.workspace, hash);
      recordAudit(session.workspace.db, {
        actor: session.host.mode,
        action: 'steps.trust',
        entityType: 'workspace',
        entityId: state.workspace,
        details: { hash, files: state.definitions.map((d) => d.file) },
      });
      return workspaceTrustState(layout, session.host.configDir);
    },
    'tools.list': () => list(),
    'tools.refresh': () => {
      invalidateTools();
      return list();
    },
    'tools.setPath': async ({ name, path }) => {
      const c = catalog();
      const req = requirements(c).find((r) => r.name === name);
      if (!req) {
        if (toolRequirements(c.steps).some((r) => r.name === name)) {
          throw new ApiError('conflict', `Only this workspace's own step definitions need ${name}, and they run nothing until you trust the workspace.`);
        }
        const known = requirements(c).map((r) => r.name);
        throw new ApiError('not_found', `No step needs a tool named ${JSON.stringify(name)} (the tools: ${known.join(', ') || 'none'}).`);
      }
      let stored: string | null = null;
      if (path !== null) {
        stored = expand(path.trim());
        const why = checkExecutable(stored);
        if (why) throw new ApiError('invalid_request', `tools.setPath: ${name}: ${why}; choose an executable file.`);
      }
      writeToolPath(session.host.configDir, name, stored);
      invalidateTools(name);
      recordAudit(session.workspace.db, {
        actor: session.host.mode,
        action: 'tools.setPath',
        entityType: 'tool',
        entityId: name,
        details: { path: stored },
      });
      return probeTool(req, stored);
    },
  };
}
