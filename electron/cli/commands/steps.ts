import { createInterface } from 'node:readline/promises';
import type { TrustState } from '../../../shared/schemas/steps';
import { printJson, table, withSession, type CliCommand, type CliContext } from '../context';

/** `benchtop steps list`: every step definition, where it comes from, and whether it may run. */
async function stepsList(ctx: CliContext): Promise<void> {
  await withSession(ctx, async (session) => {
    const catalog = await session.call('steps.list', {});
    if (ctx.json) return printJson(ctx, catalog);
    const rows = catalog.steps.map((s) => [s.id, s.name, s.source === 'builtin' ? 'built in' : 'workspace', s.source === 'builtin' ? '—' : s.trusted ? 'trusted' : 'NOT TRUSTED']);
    for (const line of table([['Step', 'Name', 'From', 'Trust'], ...rows])) ctx.out(line);
    for (const e of catalog.errors) ctx.out(`\n${e.file}: ${e.message}`);
    if (catalog.steps.some((s) => !s.trusted)) {
      ctx.out('');
      ctx.out("This workspace's own step definitions run nothing until you trust it: review them with `benchtop steps trust`.");
    }
  });
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

function printDefinitions(ctx: CliContext, state: TrustState): void {
  ctx.out(`Workspace ${state.workspace} has ${count(state.definitions.length, 'step definition')} of its own:`);
  for (const d of state.definitions) {
    if (d.problem) {
      ctx.out(`  ${d.file} — did not load, runs nothing: ${d.problem}`);
      continue;
    }
    ctx.out(`  ${d.file} — ${d.stepName ?? ''} (${d.stepId ?? ''})`);
    ctx.out(`    programs: ${d.programs.join(', ')}`);
    d.commands.forEach((c, i) => ctx.out(`    ${i === 0 ? 'runs:    ' : '         '} ${c}`));
  }
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/** `benchtop steps trust [--yes]`: show the workspace's own definitions and what they run, then trust exactly those. */
async function stepsTrust(ctx: CliContext, yes: boolean): Promise<void> {
  await withSession(ctx, async (session) => {
    const state = await session.call('steps.trustState', {});
    if (state.hash === null || state.trusted) {
      if (ctx.json) return printJson(ctx, state);
      if (state.hash === null) ctx.out(`Workspace ${state.workspace} has no step definitions of its own: nothing to trust.`);
      else {
        printDefinitions(ctx, state);
        ctx.out('Already trusted.');
      }
      return;
    }
    if (!ctx.json) printDefinitions(ctx, state);
    if (!yes && !(await confirm('Trust this workspace and let these definitions run? [y/N] '))) {
      if (ctx.json) printJson(ctx, state);
      throw new Error('nothing trusted. Run `benchtop steps trust --yes` to trust exactly these definitions.');
    }
    const trusted = await session.call('steps.trust', { hash: state.hash });
    if (ctx.json) return printJson(ctx, trusted);
    ctx.out(`Trusted: ${count(trusted.definitions.length, 'definition')} of ${trusted.workspace} may run. Editing any of them asks again.`);
  });
}

export const stepsCommands: CliCommand[] = [
  {
    words: ['steps', 'list'],
    usage: 'benchtop steps list',
    summary: "Every step definition: built in or the workspace's own, and whether it is trusted to run",
    options: {},
    run: (ctx) => stepsList(ctx),
  },
  {
    words: ['steps', 'trust'],
    usage: 'benchtop steps trust [--yes]',
    summary: "Show the workspace's own step definitions and the programs they run, then trust exactly those (asks, unless --yes)",
    options: { yes: { type: 'boolean', short: 'y' } },
    run: (ctx, values) => stepsTrust(ctx, Boolean(values.yes)),
  },
];
