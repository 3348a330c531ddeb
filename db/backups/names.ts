/**
 * Backup file names say what they are and sort by time: `benchtop-20261204T192430.123Z-daily.db`,
 * `SMA_<exp>-20261204T192430.123Z-import.db` (base, UTC stamp, reason).
 */
export const BACKUP_REASONS = ['daily', 'migration', 'import', 'manual', 'pre-restore'] as const;
export type BackupReason = (typeof BACKUP_REASONS)[number];

export interface ParsedBackupName {
  /** The database's file name without `.db`: `benchtop` or `SMA_<exp>`. */
  base: string;
  at: Date;
  reason: BackupReason;
}

/** 20261204T192430.123Z */
export function backupStamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '');
}

export function backupFileName(base: string, date: Date, reason: BackupReason): string {
  return `${base}-${backupStamp(date)}-${reason}.db`;
}

const NAME_RE = new RegExp(`^(.+)-(\\d{8}T\\d{6}\\.\\d{3}Z)-(${BACKUP_REASONS.join('|')})\\.db$`);
/** Copies taken before a migration by Benchtop before these names: `benchtop-v5-20250131T142501.123Z.db`. */
const OLD_MIGRATION_RE = /^(.+)-v\d+-(\d{8}T\d{6}\.\d{3}Z)\.db$/;

function parseStamp(stamp: string): Date {
  const iso = `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13)}`;
  return new Date(iso);
}

/** The parts of a backup's name, or null for a file that is not one of Benchtop's backups. */
export function parseBackupName(name: string): ParsedBackupName | null {
  const m = NAME_RE.exec(name);
  if (m) {
    const at = parseStamp(m[2]!);
    return Number.isNaN(at.getTime()) ? null : { base: m[1]!, at, reason: m[3] as BackupReason };
  }
  const old = OLD_MIGRATION_RE.exec(name);
  if (old) {
    const at = parseStamp(old[2]!);
    return Number.isNaN(at.getTime()) ? null : { base: old[1]!, at, reason: 'migration' };
  }
  return null;
}
