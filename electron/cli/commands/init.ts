import { existsSync } from 'node:fs';
import { workspaceLayout } from '../../workspace/layout';
import { resolveWorkspaceDir } from '../../workspace/resolve';
import { configDir } from '../../workspace/settings';
import { openCliSession, printJson, table, type CliContext } from '../context';

export async function initCommand(ctx: CliContext): Promise<void> {
  const { dir } = resolveWorkspaceDir({ flag: ctx.workspace, configDir: configDir() });
  const existed = existsSync(workspaceLayout(dir).centralDb);
  const session = openCliSession(ctx);
  try {
    const inv = await session.call('db.inventory', {});
    const lookups = inv.tables.filter((t) => t.kind === 'lookup');
    const lookupRows = lookups.reduce((n, t) => n + t.rows, 0);
    if (ctx.json) {
      printJson(ctx, { workspace: session.workspace.layout.path, created: !existed, ...inv, lookupRows });
      return;
    }
    ctx.out(`${existed ? 'Opened' : 'Created'} workspace ${session.workspace.layout.path} (schema version ${inv.schemaVersion})`);
    ctx.out(`${inv.tables.length} tables, ${inv.indexes} indexes:`);
    for (const line of table(inv.tables.filter((t) => t.kind !== 'lookup').map((t) => [t.name, t.rows, t.kind]), '  ')) ctx.out(line);
    ctx.out(`${lookupRows} lookup rows across ${lookups.length} lookup tables:`);
    for (const line of table(lookups.map((t) => [t.name, t.rows]), '  ')) ctx.out(line);
  } finally {
    session.close();
  }
}
