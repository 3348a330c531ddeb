import type { WorkspaceLayout } from '../workspace/layout';
import { builtinStepsDir, loadStepCatalog } from './loader';
import type { LoadedCatalog } from './types';

/** The steps of a workspace: the built-in ones and those in `<workspace>/steps/`. Read afresh each time (they are small). */
export function workspaceStepCatalog(layout: Pick<WorkspaceLayout, 'stepsDir'>): LoadedCatalog {
  return loadStepCatalog({ builtin: builtinStepsDir(), user: layout.stepsDir });
}
