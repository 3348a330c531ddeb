import { recordAudit } from '../../db/repos/audit';
import { ApiError } from '../../shared/errors';
import type { HandlerTable } from '../api/dispatch';
import type { Session } from '../api/session';
import { expand } from '../workspace/resolve';
import { checkExecutable, invalidateTools, probeTool, probeTools, toolRequirements } from '../tools/probe';
import { readToolPaths, writeToolPath } from '../tools/settings';
import { workspaceStepCatalog } from './catalog';
import { toStepInfo } from './loader';

type StepsOps = 'steps.list' | 'tools.list' | 'tools.setPath' | 'tools.refresh';

export function stepsHandlers(session: Session): Pick<HandlerTable, StepsOps> {
  const catalog = () => workspaceStepCatalog(session.workspace.layout);
  const requirements = () => toolRequirements(catalog().steps);
  const list = () => probeTools(requirements(), readToolPaths(session.host.configDir));
  return {
    'steps.list': () => {
      const { steps, errors } = catalog();
      return { steps: steps.map(toStepInfo), errors };
    },
    'tools.list': () => list(),
    'tools.refresh': () => {
      invalidateTools();
      return list();
    },
    'tools.setPath': async ({ name, path }) => {
      const req = requirements().find((r) => r.name === name);
      if (!req) {
        const known = requirements().map((r) => r.name);
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
