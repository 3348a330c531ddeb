import { existsSync, statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { openCentralDb } from '../../db/central';
import { ApiError } from '../../shared/errors';
import { createWorkspaceFolders, workspaceLayout, type WorkspaceLayout } from './layout';
import type { WorkspaceInfo } from '../../shared/schemas/workspace';
import { sweepUnfinishedRuns } from '../runs/unfinished';

/** An open workspace: its folders and its central database (created or migrated on open). */
export class Workspace {
  readonly layout: WorkspaceLayout;
  readonly db: Database.Database;
  readonly source: WorkspaceInfo['source'];

  private constructor(layout: WorkspaceLayout, db: Database.Database, source: WorkspaceInfo['source']) {
    this.layout = layout;
    this.db = db;
    this.source = source;
  }

  static open(dir: string, source: WorkspaceInfo['source']): Workspace {
    const layout = workspaceLayout(dir);
    if (existsSync(layout.path) && !statSync(layout.path).isDirectory()) {
      throw new ApiError('invalid_request', `${layout.path} is a file, not a folder: a workspace is a folder.`);
    }
    createWorkspaceFolders(layout);
    const db = openCentralDb(layout.centralDb, { backupDir: layout.backupsDir });
    sweepUnfinishedRuns(layout, db);
    return new Workspace(layout, db, source);
  }

  info(): WorkspaceInfo {
    return { ...this.layout, source: this.source };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
