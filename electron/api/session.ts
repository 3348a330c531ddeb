import type { OpName, OpRequest, OpResponse } from '../../shared/contract';
import { ApiError, type ApiResult } from '../../shared/errors';
import { Workspace } from '../workspace/workspace';
import { readSettings } from '../workspace/settings';
import { JobRunner, defaultMaxConcurrent } from '../jobs/runner';
import { resolveWorkspaceDir } from '../workspace/resolve';
import { dispatch, type HandlerTable } from './dispatch';
import { EventBus } from './events';
import { createHandlers } from './handlers';
import type { Host } from './host';

/**
 * One running Benchtop: the host, the open workspace, the event bus and the handler table.
 * Electron's main process, `benchtop serve` and the CLI each make one.
 */
export class Session {
  readonly host: Host;
  readonly events = new EventBus();
  readonly startedAt = new Date();
  private current: Workspace;
  private runner: JobRunner;
  private readonly handlers: HandlerTable;

  private constructor(host: Host, workspace: Workspace) {
    this.host = host;
    this.current = workspace;
    this.runner = this.openRunner(workspace);
    this.handlers = createHandlers(this);
  }

  /** The job runner of the open workspace (replaced when the workspace is switched). */
  get jobs(): JobRunner {
    return this.runner;
  }

  /** One runner per open workspace: it re-attaches the jobs that outlived the last Benchtop. */
  private openRunner(workspace: Workspace): JobRunner {
    const setting = readSettings(this.host.configDir).maxConcurrentJobs;
    const runner = new JobRunner({
      db: workspace.db,
      workspaceDir: workspace.layout.path,
      events: this.events,
      maxConcurrent: typeof setting === 'number' && Number.isInteger(setting) ? setting : defaultMaxConcurrent(),
    });
    // A read-only workspace is only browsed: reconciling would write the jobs' ends to the database.
    if (workspace.readOnly !== null) return runner;
    try {
      runner.reconcile();
    } catch (err) {
      // The database was busy: the runner's periodic check re-attaches and starts them shortly.
      process.stderr.write(`benchtop: could not check the jobs of ${workspace.layout.path} yet: ${(err as Error).message}\n`);
    }
    return runner;
  }

  static open(host: Host, opts: { workspace?: string | undefined; env?: NodeJS.ProcessEnv } = {}): Session {
    const { dir, source } = resolveWorkspaceDir({ flag: opts.workspace, env: opts.env, configDir: host.configDir });
    return new Session(host, Workspace.open(dir, source));
  }

  get workspace(): Workspace {
    return this.current;
  }

  /** Open another workspace; the old one stays open if the new one cannot be opened. */
  switchWorkspace(dir: string): Workspace {
    const next = Workspace.open(dir, 'switched');
    const previous = this.current;
    const previousRunner = this.runner;
    this.current = next;
    previousRunner.close();
    this.runner = this.openRunner(next);
    previous.close();
    this.events.emit('workspace.changed', next.info());
    return next;
  }

  dispatch(op: unknown, request: unknown): Promise<ApiResult<unknown>> {
    return dispatch(this.handlers, op, request, { databaseFile: this.current.layout.centralDb, readOnly: this.current.readOnly });
  }

  /** For in-process callers (the CLI): the value, or the ApiError. */
  async call<K extends OpName>(op: K, request: OpRequest<K>): Promise<OpResponse<K>> {
    const result = await this.dispatch(op, request);
    if (!result.ok) throw new ApiError(result.error.code, result.error.message);
    return result.value as OpResponse<K>;
  }

  close(): void {
    this.runner.close();
    this.current.close();
  }
}
