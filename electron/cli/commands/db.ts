import { resolve } from 'node:path';
import { ApiError } from '../../../shared/errors';
import { formatBytes } from '../../../shared/format';
import { restoreTarget } from '../../workspace/restore';
import { openCliSession, printJson, table, withSession, type CliCommand, type CliContext } from '../context';

export async function dbBackupCommand(ctx: CliContext, to: string | undefined): Promise<void> {
  const session = openCliSession(ctx);
  try {
    const result = await session.call('db.backup', to ? { to } : {});
    if (ctx.json) printJson(ctx, result);
    else {
      ctx.out(`Backed up ${session.workspace.layout.centralDb} to ${result.path} (${formatBytes(result.bytes)})`);
      for (const r of result.reads ?? []) ctx.out(`Backed up a reads database to ${r.path} (${formatBytes(r.bytes)})`);
    }
  } finally {
    session.close();
  }
}

export const dbCommands: CliCommand[] = [
  {
    words: ['db', 'backups'],
    usage: 'benchtop db backups',
    summary: 'The backups of the central and the reads databases, newest first, with size, date and reason',
    options: {},
    run: (ctx) =>
      withSession(ctx, async (session) => {
        const { backups, policy } = await session.call('db.backups', {});
        if (ctx.json) return printJson(ctx, { backups, policy });
        if (backups.length === 0) return ctx.out(`No backups in ${session.workspace.layout.backupsDir} yet.`);
        ctx.out(
          table([
            ['taken (UTC)', 'database', 'reason', 'size', 'file'],
            ...backups.map((b) => [b.at.replace('T', ' ').slice(0, 19), b.database === 'central' ? 'central' : `reads ${b.expId}`, b.reason, formatBytes(b.bytes), b.path]),
          ]).join('\n'),
        );
        ctx.out(`Kept: the newest ${policy.keepToday} of today and one a day for ${policy.keepDays} days (migration and pre-restore copies: all of those days).`);
      }),
  },
  {
    words: ['db', 'restore'],
    usage: 'benchtop db restore FILE --yes',
    summary: 'Replace a database with a backup (a pre-restore copy is kept; rolled back on failure); --yes is required',
    options: { yes: { type: 'boolean' } },
    run: (ctx, values, args) =>
      withSession(ctx, async (session) => {
        if (args.length !== 1) throw new ApiError('invalid_request', 'expected exactly one backup file. Usage: benchtop db restore FILE --yes');
        const file = resolve(args[0]!);
        if (!values.yes) {
          const target = restoreTarget(session.workspace.layout, file);
          throw new ApiError('invalid_request', `restoring ${file} replaces ${target.file} (its current contents are kept as a pre-restore backup): add --yes to confirm.`);
        }
        const result = await session.call('db.restore', { file });
        if (ctx.json) printJson(ctx, result);
        else ctx.out(`Restored ${result.restored} from ${result.from} (schema version ${result.schemaVersion}). The previous contents are in ${result.preRestore}.`);
      }),
  },
];
