import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface BackupFile {
  name: string;
  path: string;
  modifiedAt: Date;
}

/** The database copies (`*.db`) in a backup folder, newest first; none when the folder is missing. */
export function listBackupFiles(dir: string): BackupFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const files: BackupFile[] = [];
  for (const name of names) {
    if (!name.endsWith('.db')) continue;
    const path = join(dir, name);
    try {
      const stat = statSync(path);
      if (stat.isFile()) files.push({ name, path, modifiedAt: stat.mtime });
    } catch {
      // removed while listing
    }
  }
  return files.sort((a, b) => b.modifiedAt.getTime() - a.modifiedAt.getTime());
}

/** What a damaged database can be restored from, said as it is: the copies there are, or that there are none. */
export function describeBackups(dir: string): string {
  const files = listBackupFiles(dir);
  const newest = files[0];
  if (!newest) return `There are no backups in ${dir}: open another workspace.`;
  const when = newest.modifiedAt.toISOString().slice(0, 16).replace('T', ' ');
  const copies = files.length === 1 ? '1 copy' : `${files.length} copies`;
  return `${dir} holds ${copies}, the newest ${newest.name} from ${when} UTC: restore one, or open another workspace.`;
}
