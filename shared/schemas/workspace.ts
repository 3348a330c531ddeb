import { z } from 'zod';

export const WorkspaceInfo = z.object({
  path: z.string(),
  centralDb: z.string(),
  readsDir: z.string(),
  runsDir: z.string(),
  referencesDir: z.string(),
  stepsDir: z.string(),
  backupsDir: z.string(),
  /** Where the workspace choice came from: a flag, BENCHTOP_WORKSPACE, the saved setting, or the default. */
  source: z.enum(['flag', 'env', 'setting', 'default', 'switched']),
  /** The workspace can be browsed but not changed (a read-only folder or disk, or a full disk). */
  readOnly: z.boolean(),
  /** Why it is read-only ("the disk is full"); null when it is not. */
  readOnlyReason: z.string().nullable(),
});
export type WorkspaceInfo = z.infer<typeof WorkspaceInfo>;

export const TableCount = z.object({
  name: z.string(),
  kind: z.enum(['core', 'library', 'lookup', 'analysis', 'system']),
  rows: z.number().int().nonnegative(),
});
export type TableCount = z.infer<typeof TableCount>;

export const DbInventory = z.object({
  path: z.string(),
  schemaVersion: z.number().int(),
  tables: z.array(TableCount),
  indexes: z.number().int().nonnegative(),
});
export type DbInventory = z.infer<typeof DbInventory>;

export const BackupResult = z.object({
  path: z.string(),
  bytes: z.number().int().nonnegative(),
  /** Without a target file, every reads database is copied to backups/reads/ too. */
  reads: z.array(z.object({ path: z.string(), bytes: z.number().int().nonnegative() })).optional(),
});

/** Run folders a creation left unfinished, moved to trash/ when the workspace opened (until dismissed). */
export const UnfinishedRuns = z.object({
  trashDir: z.string(),
  folders: z.array(z.object({ name: z.string(), path: z.string(), bytes: z.number().int().nonnegative(), movedAt: z.string() })),
  totalBytes: z.number().int().nonnegative(),
});
export type UnfinishedRuns = z.infer<typeof UnfinishedRuns>;
