import { z } from 'zod';
import { Empty, op } from './define';

export const BackupReason = z.enum(['daily', 'migration', 'import', 'manual', 'pre-restore']);

export const BackupEntry = z.object({
  path: z.string(),
  name: z.string(),
  database: z.enum(['central', 'reads']),
  /** The experiment of a reads database's copy. */
  expId: z.string().nullable(),
  reason: BackupReason,
  at: z.string(),
  bytes: z.number().int().nonnegative(),
  /** Checked when it was written (opened, integrity_check ok, schema version as copied). */
  verified: z.boolean(),
});
export type BackupEntry = z.infer<typeof BackupEntry>;

export const BackupList = z.object({
  backups: z.array(BackupEntry),
  policy: z.object({ keepToday: z.number().int(), keepDays: z.number().int() }),
});

export const RestoreResult = z.object({
  database: z.enum(['central', 'reads']),
  expId: z.string().nullable(),
  /** The database file that now holds the backup's contents. */
  restored: z.string(),
  from: z.string(),
  /** The copy of the database as it was just before, itself a backup that can be restored. */
  preRestore: z.string(),
  schemaVersion: z.number().int(),
});

const AuditCursor = z.object({ at: z.string(), kind: z.enum(['change', 'action']), id: z.number().int() }).strict();

export const AuditQuery = z
  .object({
    kind: z.enum(['all', 'changes', 'actions']).default('all'),
    /** A table of the central database: row changes only. */
    table: z.string().max(200).optional(),
    /** Part of the actor's name. */
    actor: z.string().max(200).optional(),
    /** An operation's name exactly, e.g. runs.create. */
    operation: z.string().max(200).optional(),
    /** Days, YYYY-MM-DD, both included (UTC). */
    from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD').optional(),
    to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD').optional(),
    /** Text anywhere in the values, details or keys. */
    text: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(500).default(50),
    /** The last entry of the previous page. */
    before: AuditCursor.optional(),
  })
  .strict();

export const AuditEntry = z.object({
  /** A row change written by the database's triggers, or an action Benchtop recorded. */
  kind: z.enum(['change', 'action']),
  id: z.number().int(),
  at: z.string(),
  actor: z.string().nullable(),
  operation: z.string().nullable(),
  /** The table (changes) or the kind of thing acted on (actions). */
  subject: z.string().nullable(),
  key: z.string().nullable(),
  change: z.enum(['insert', 'update', 'delete']).nullable(),
  oldValues: z.record(z.string(), z.unknown()).nullable(),
  newValues: z.record(z.string(), z.unknown()).nullable(),
  details: z.unknown().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const dbOps = {
  'db.backups': op('The backups in <workspace>/backups/ of the central and the reads databases, newest first', Empty, BackupList),
  'db.restore': op(
    'Replace a database with a backup: a pre-restore copy first, the backup checked and migrated, everything rolled back on failure',
    z.object({ file: z.string().min(1).max(4096) }).strict(),
    RestoreResult,
  ),
  'db.audit': op(
    "The audit trail, newest first: the database's row changes and Benchtop's recorded actions, filtered and paged",
    AuditQuery,
    z.object({ entries: z.array(AuditEntry), next: AuditCursor.nullable(), tables: z.array(z.string()) }),
  ),
} as const;
