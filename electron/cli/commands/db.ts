import { formatBytes } from '../../../shared/format';
import { openCliSession, printJson, type CliContext } from '../context';

export async function dbBackupCommand(ctx: CliContext, to: string | undefined): Promise<void> {
  const session = openCliSession(ctx);
  try {
    const result = await session.call('db.backup', to ? { to } : {});
    if (ctx.json) printJson(ctx, result);
    else ctx.out(`Backed up ${session.workspace.layout.centralDb} to ${result.path} (${formatBytes(result.bytes)})`);
  } finally {
    session.close();
  }
}
