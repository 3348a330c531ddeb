import { ApiError } from '../../shared/errors';

/**
 * What the native error box says when the workspace cannot be opened at start-up. A database
 * from a newer Benchtop (`db_too_new`) names its file in the message already.
 */
export function startupErrorText(err: unknown): { title: string; content: string } {
  if (err instanceof ApiError && err.code === 'db_too_new') {
    return { title: 'Benchtop cannot open this workspace', content: err.message };
  }
  const message = err instanceof Error ? err.message : String(err);
  return {
    title: 'Benchtop cannot start',
    content: `${message}\n\nStart Benchtop with --workspace DIR (or BENCHTOP_WORKSPACE) to open another workspace.`,
  };
}
