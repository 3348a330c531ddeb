import type { ToolInfo } from '../../../shared/schemas/steps';
import { openCliSession, printJson, table, type CliContext } from '../context';

/** `benchtop tools [--refresh]`: every tool the steps need, found or not, and how to install a missing one. */
export async function toolsCommand(ctx: CliContext, opts: { refresh: boolean }): Promise<void> {
  const session = openCliSession(ctx);
  try {
    const tools = await session.call(opts.refresh ? 'tools.refresh' : 'tools.list', {});
    if (ctx.json) {
      printJson(ctx, tools);
      return;
    }
    printTools(ctx, tools);
  } finally {
    session.close();
  }
}

/** `benchtop tools set-path NAME PATH` / `--clear`. */
export async function toolsSetPathCommand(ctx: CliContext, name: string | undefined, path: string | undefined, clear: boolean): Promise<void> {
  if (!name || (!path && !clear) || (path && clear)) throw new Error('give a tool name and either a path or --clear');
  const session = openCliSession(ctx);
  try {
    const tool = await session.call('tools.setPath', { name, path: clear ? null : (path ?? null) });
    if (ctx.json) printJson(ctx, tool);
    else printTools(ctx, [tool]);
  } finally {
    session.close();
  }
}

function printTools(ctx: CliContext, tools: ToolInfo[]): void {
  const rows = tools.map((t) => [
    t.name,
    t.found ? (t.error ? 'found (version unknown)' : 'found') : 'MISSING',
    t.version ?? '—',
    t.path ? `${t.path}${t.custom ? ' (custom)' : ''}` : '—',
  ]);
  for (const line of table([['Tool', 'Status', 'Version', 'Path'], ...rows])) ctx.out(line);
  const problems = tools.filter((t) => !t.found || t.error);
  for (const t of problems) {
    ctx.out('');
    ctx.out(`${t.name} (needed by ${t.requiredBy.join(', ') || 'no step'}): ${t.error ?? 'not found'}`);
    if (!t.found) {
      const how = [
        t.install.debian ? `sudo apt install ${t.install.debian}` : null,
        t.install.conda ? `conda install ${t.install.conda}` : null,
      ].filter(Boolean);
      if (how.length) ctx.out(`  Install it with: ${how.join('   or   ')}`);
      ctx.out(`  or point Benchtop at it: benchtop tools set-path ${t.name} /path/to/${t.name}`);
    }
  }
  if (problems.length === 0 && tools.length) {
    ctx.out('');
    ctx.out(`All ${tools.length} tools found.`);
  }
}
