import { basename, extname } from 'node:path';
import { backupsIn } from './rotation';

/**
 * What a damaged database can be restored from, said as it is: the copies of that database in
 * `dir` (how many, the newest and its date), or that there are none.
 */
export function describeBackups(dir: string, databaseFile: string): string {
  const base = basename(databaseFile, extname(databaseFile));
  const copies = backupsIn(dir)
    .filter((b) => b.base === base)
    .sort((a, b) => b.at.getTime() - a.at.getTime());
  const newest = copies[0];
  if (!newest) return `There are no backups of it in ${dir}: open another workspace.`;
  const when = newest.at.toISOString().slice(0, 16).replace('T', ' ');
  const count = copies.length === 1 ? '1 copy' : `${copies.length} copies`;
  return `${dir} holds ${count} of it, the newest ${basename(newest.file)} from ${when} UTC: restore one (Settings → Backups, or \`benchtop db restore FILE --yes\`), or open another workspace.`;
}
