import type { TrustState } from '../../shared/schemas/steps';
import type { WorkspaceLayout } from '../workspace/layout';
import { builtinStepsDir, loadStepCatalog } from './loader';
import { definitionsHash, describeDefinitions, isTrusted, workspaceKey } from './trust';
import type { LoadedCatalog } from './types';

export interface WorkspaceCatalog extends LoadedCatalog {
  /** The workspace's real path, its definitions' hash, and whether the user trusted exactly those. */
  trust: Omit<TrustState, 'definitions'>;
}

/**
 * The steps of a workspace: the built-in ones and those in `<workspace>/steps/`, the latter marked
 * trusted only when the user trusted this workspace with exactly these definitions (see trust.ts).
 * Read afresh each time (they are small).
 */
export function workspaceStepCatalog(layout: Pick<WorkspaceLayout, 'path' | 'stepsDir'>, configDir: string): WorkspaceCatalog {
  const loaded = loadStepCatalog({ builtin: builtinStepsDir(), user: layout.stepsDir });
  const hash = definitionsHash(loaded.userFiles);
  const workspace = workspaceKey(layout.path);
  const trusted = isTrusted(configDir, workspace, hash);
  return {
    ...loaded,
    steps: trusted ? loaded.steps.map((s) => (s.trusted ? s : { ...s, trusted: true })) : loaded.steps,
    trust: { workspace, hash, trusted },
  };
}

/** What the trust prompt shows: the trust, and each of the workspace's definition files with what it would run. */
export function workspaceTrustState(layout: Pick<WorkspaceLayout, 'path' | 'stepsDir'>, configDir: string): TrustState {
  const catalog = workspaceStepCatalog(layout, configDir);
  return { ...catalog.trust, definitions: describeDefinitions(catalog, layout.stepsDir) };
}
