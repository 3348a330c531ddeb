import { isOpName, operations, type OpName, type OpRequest, type OpResponse } from '../../shared/contract';
import { ApiError, type ApiResult } from '../../shared/errors';
import { Workspace } from '../workspace/workspace';
import { readSettings } from '../workspace/settings';
import { JobRunner, defaultMaxConcurrent } from '../jobs/runner';
import { resolveWorkspaceDir } from '../workspace/resolve';
import { dispatch, errorResult, type HandlerTable } from './dispatch';
import { EventBus } from './events';
import { createHandlers } from './handlers';
import type { Host } from './host';
import { actorName, currentOperation, setAuditActor, setAuditOperation } from '../../db/audit/session';
import { recordAudit } from '../../db/repos/audit';
import { carryAuditTrailForward } from '../../db/repos/auditTrail';
import { backupBeforeImport, dailyBackups, onlineBackupsRunning, rotationPolicy } from '../workspace/backups';
import { preRestoreCopy, resolveBackupFile, restoreDatabase, restoreTarget } from '../workspace/restore';

/** Operations that write many rows at once: a verified copy of the central database is taken first. */
const IMPORTS = new Set(['libraries.import', 'experiments.migrateLegacy', 'runs.import']);
const DAILY_BACKUP_DELAY_MS = 5_000;

function isDryRun(request: unknown): boolean {
  return typeof request === 'object' && request !== null && (request as { dryRun?: unknown }).dryRun === true;
}

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
  private dailyTimer: NodeJS.Timeout | null = null;

  private constructor(host: Host, workspace: Workspace) {
    this.host = host;
    this.current = workspace;
    setAuditActor(workspace.db, actorName(host.mode));
    this.runner = this.openRunner(workspace);
    this.handlers = createHandlers(this);
    // The app and `benchtop serve` keep the workspace's daily copies; a CLI command (or a job's step) does not.
    if (host.mode !== 'cli') this.scheduleDailyBackups(DAILY_BACKUP_DELAY_MS);
  }

  /** Once the app answers: copies of the databases whose newest copy is older than a day (online, in steps). */
  private scheduleDailyBackups(delayMs: number): void {
    this.dailyTimer = setTimeout(() => {
      this.dailyTimer = null;
      void dailyBackups(() => this.current, rotationPolicy(this.host.configDir), (message) => process.stderr.write(`benchtop: ${message}\n`));
    }, delayMs);
    this.dailyTimer.unref();
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
    setAuditActor(next.db, actorName(this.host.mode));
    const previous = this.current;
    const previousRunner = this.runner;
    this.current = next;
    previousRunner.close();
    this.runner = this.openRunner(next);
    previous.close();
    this.events.emit('workspace.changed', next.info());
    return next;
  }

  /** Runs one operation; the rows it changes are audited under its name (see db/audit/session). */
  async dispatch(op: unknown, request: unknown): Promise<ApiResult<unknown>> {
    const db = this.current.db;
    // A request the dispatcher will refuse changes nothing, not even this connection's audit context.
    const name = isOpName(op) && operations[op].request.safeParse(request === undefined ? {} : request).success ? op : null;
    if (db.open && name !== null) setAuditOperation(db, name);
    try {
      // A read-only workspace refuses the import itself; a copy could not be written there anyway.
      if (name !== null && IMPORTS.has(name) && !isDryRun(request) && this.current.readOnly === null) {
        backupBeforeImport(this.current, rotationPolicy(this.host.configDir));
      }
      return await dispatch(this.handlers, op, request, this.errorContext());
    } catch (err) {
      return errorResult(err, this.errorContext());
    } finally {
      // Writes made after it (the job runner's own updates) belong to no operation; an operation that
      // began meanwhile keeps its name. A restore may have replaced the connection meanwhile.
      for (const d of new Set([db, this.current.db])) if (d.open && name !== null && currentOperation(d) === name) setAuditOperation(d, null);
    }
  }

  /** What an error message names: the open workspace's database, and why it is read-only if it is. */
  private errorContext(): { databaseFile: string; readOnly: string | null } {
    return { databaseFile: this.current.layout.centralDb, readOnly: this.current.readOnly };
  }

  /** For in-process callers (the CLI): the value, or the ApiError. */
  async call<K extends OpName>(op: K, request: OpRequest<K>): Promise<OpResponse<K>> {
    const result = await this.dispatch(op, request);
    if (!result.ok) throw new ApiError(result.error.code, result.error.message);
    return result.value as OpResponse<K>;
  }

  /**
   * Replaces the central database, or one reads database, with a backup (see workspace/restore).
   * Refused while jobs run or wait: their processes write to the database being replaced.
   */
  restore(file: string): OpResponse<'db.restore'> {
    const { running, pending } = this.runner.counts();
    if (running + pending > 0) {
      throw new ApiError('conflict', `Restoring waits until no job runs: ${running} running and ${pending} waiting now. Let them end or kill them, then restore.`);
    }
    if (onlineBackupsRunning() > 0) throw new ApiError('conflict', 'A backup is being written: restore when it has finished, in a moment.');
    const backup = resolveBackupFile(file);
    const { layout, source } = this.current;
    const target = restoreTarget(layout, backup);
    const central = target.database === 'central';
    const outcome = restoreDatabase({
      target,
      backup,
      takePreRestore: () => preRestoreCopy(target, central ? this.current.db : null),
      close: () => {
        if (!central) return;
        this.runner.close();
        this.current.close();
      },
      reopen: () => {
        if (!central) return;
        if (this.current.db.open) return;
        const reopened = Workspace.open(layout.path, source);
        setAuditActor(reopened.db, actorName(this.host.mode));
        this.current = reopened;
        this.runner = this.openRunner(reopened);
      },
    });
    // The history of what the restore undid stays on record (in the restored central database).
    if (central) {
      try {
        carryAuditTrailForward(this.current.db, outcome.preRestore);
      } catch (err) {
        // The restore itself succeeded; the older rows are still in the pre-restore copy.
        process.stderr.write(`benchtop: the audit rows since the backup were not copied from ${outcome.preRestore}: ${(err as Error).message}\n`);
      }
    }
    recordAudit(this.current.db, {
      actor: actorName(this.host.mode),
      action: 'db.restore',
      entityType: 'database',
      entityId: central ? 'benchtop.db' : `reads/SMA_${target.expId}.db`,
      details: { from: backup, preRestore: outcome.preRestore, schemaVersion: outcome.schemaVersion },
    });
    this.events.emit('workspace.changed', this.current.info());
    return { database: target.database, expId: target.expId, restored: target.file, from: backup, preRestore: outcome.preRestore, schemaVersion: outcome.schemaVersion };
  }

  close(): void {
    if (this.dailyTimer) clearTimeout(this.dailyTimer);
    this.runner.close();
    this.current.close();
  }
}
