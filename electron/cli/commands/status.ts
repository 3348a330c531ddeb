import { formatBytes, unfinishedRunsMessage, unfinishedRunsWhere } from '../../../shared/format';
import { openCliSession, printJson, table, type CliContext } from '../context';

/** Seed 000's `orchestrate.py status`, plus the analysis runs and jobs. */
export async function statusCommand(ctx: CliContext): Promise<void> {
  const session = openCliSession(ctx);
  try {
    const pipeline = await session.call('pipeline.status', {});
    const system = await session.call('system.status', {});
    const { readOnly, readOnlyReason } = session.workspace.info();
    const unfinished = await session.call('workspace.unfinishedRuns', {});
    if (ctx.json) {
      printJson(ctx, { workspace: system.workspace, readOnly, readOnlyReason, ...pipeline, system, unfinishedRuns: unfinished });
      return;
    }
    ctx.out(`Workspace: ${system.workspace}  (central DB ${formatBytes(system.centralDbBytes)}, ${system.readsDbCount} read DBs ${formatBytes(system.readsDbBytes)}, ${formatBytes(system.diskFreeBytes)} free)`);
    if (readOnly) ctx.out(`This workspace is read-only (${readOnlyReason}): it can be browsed, not changed.`);
    if (unfinished.folders.length) ctx.out(`${unfinishedRunsMessage(unfinished.folders.length, unfinished.totalBytes)} ${unfinishedRunsWhere(unfinished.folders.length)} ${unfinished.trashDir}.`);
    ctx.out('');
    ctx.out(`Experiments: ${pipeline.experiments}`);
    section(ctx, 'Basecall runs', pipeline.basecallRuns);
    section(ctx, 'Analysis runs', pipeline.runs);
    section(ctx, 'Jobs', pipeline.jobs);
    ctx.out('');
    if (pipeline.pendingSma.length === 0) {
      ctx.out('No basecall runs pending SMA analysis.');
    } else {
      ctx.out(`Ready for SMA analysis (${pipeline.pendingSma.length}):`);
      const rows = pipeline.pendingSma.map((r) => [r.runId, r.expId ?? '—', r.sampleId ?? '—', r.modelTier ?? '—', r.bamPath ?? 'N/A']);
      for (const line of table([['Run ID', 'Exp ID', 'Sample', 'Tier', 'BAM'], ...rows], '  ')) ctx.out(line);
    }
  } finally {
    session.close();
  }
}

function section(ctx: CliContext, title: string, counts: Record<string, number>): void {
  const entries = Object.entries(counts);
  const total = entries.reduce((n, [, c]) => n + c, 0);
  ctx.out('');
  ctx.out(`${title}: ${total}`);
  for (const line of table(entries.map(([status, n]) => [`${capitalize(status)}:`, n]), '  ')) ctx.out(line);
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
