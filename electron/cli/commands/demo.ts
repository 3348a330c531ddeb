/** `benchtop demo`: build the demo workspace (generated data, every step run) in the foreground. */
import { buildDemo, defaultDemoDir, prepareDemoFolder } from '../../demo/build';
import { expand } from '../../workspace/resolve';
import { printJson, table, withSession, type CliCommand, type CliContext } from '../context';
import type { DemoSummary } from '../../../shared/ops/demo';

function printSummary(ctx: CliContext, summary: DemoSummary, built: boolean): void {
  if (ctx.json) {
    printJson(ctx, summary);
    return;
  }
  ctx.out(built ? `Demo workspace: ${summary.workspace}` : `${summary.workspace} is already a demo workspace (built in ${summary.seconds} s).`);
  ctx.out(`  experiments   ${summary.experiments.join(', ')}`);
  ctx.out(`  library spec  ${summary.libId}`);
  ctx.out(`  basecall run  ${summary.basecallRunId} (ingested by run ${summary.ingestRunId})`);
  ctx.out(`  qsLAM run     ${summary.qslamRunId}`);
  for (const line of table(summary.steps.map((s) => [s.step, s.note ? `${s.status}: ${s.note}` : s.status]), '    ')) ctx.out(line);
  ctx.out(`Open it: benchtop serve --workspace ${summary.workspace}`);
}

async function demoCommand(ctx: CliContext): Promise<void> {
  // The environment's BENCHTOP_WORKSPACE is the user's own workspace: the demo never lands there unasked.
  const dir = expand(ctx.workspace ?? defaultDemoDir());
  const plan = prepareDemoFolder(dir);
  if (!plan.build) {
    printSummary(ctx, plan.summary, false);
    return;
  }
  const summary = await withSession({ ...ctx, workspace: dir }, (session) => buildDemo(session, (line) => process.stderr.write(`${line}\n`)));
  printSummary(ctx, summary, true);
}

export const demoCommands: CliCommand[] = [
  {
    words: ['demo'],
    usage: 'benchtop demo',
    summary: 'Create a demo workspace (default ~/Benchtop-demo) filled with generated data, every step run; refuses a folder with other files',
    options: {},
    run: (ctx) => demoCommand(ctx),
  },
];
