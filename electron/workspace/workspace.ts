import { existsSync, statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { openCentralDbOrReadOnly } from '../../db/central';
import { unwritableReason } from '../../db/open';
import { ApiError } from '../../shared/errors';
import { createWorkspaceFolders, workspaceLayout, type WorkspaceLayout } from './layout';
import type { WorkspaceInfo } from '../../shared/schemas/workspace';
import { sweepUnfinishedRuns } from '../runs/unfinished';

/**
 * An open workspace: its folders and its central database (created or migrated on open). One that
 * cannot be written (a read-only folder or disk, a full disk) is opened read-only, to be browsed.
 */
export class Workspace {
  readonly layout: WorkspaceLayout;
  readonly db: Database.Database;
  readonly source: WorkspaceInfo['source'];
  /** Why nothing can be changed here; null when the workspace is writable. */
  readonly readOnly: string | null;

  private constructor(layout: WorkspaceLayout, db: Database.Database, source: WorkspaceInfo['source'], readOnly: string | null) {
    this.layout = layout;
    this.db = db;
    this.source = source;
    this.readOnly = readOnly;
  }

  static open(dir: string, source: WorkspaceInfo['source']): Workspace {
    const layout = workspaceLayout(dir);
    if (existsSync(layout.path) && !statSync(layout.path).isDirectory()) {
      throw new ApiError('invalid_request', `${layout.path} is a file, not a folder: a workspace is a folder.`);
    }
    if (unwritableReason(layout.centralDb) === null) {
      try {
        createWorkspaceFolders(layout);
      } catch (error) {
        // A full disk cannot take a missing subfolder; the database decides below whether to go on read-only.
        if (!existsSync(layout.centralDb)) throw error;
      }
    }
    const { db, readOnly } = openCentralDbOrReadOnly(layout.centralDb, { backupDir: layout.backupsDir });
    // Moving leftovers writes to the workspace: a read-only one is only browsed.
    if (readOnly === null) sweepUnfinishedRuns(layout, db);
    return new Workspace(layout, db, source, readOnly);
  }

  info(): WorkspaceInfo {
    return { ...this.layout, source: this.source, readOnly: this.readOnly !== null, readOnlyReason: this.readOnly };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
