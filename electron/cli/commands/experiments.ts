/**
 * Experiments and basecall runs on the command line: discover, legacy migration, list/show,
 * register a BAM, pending SMA analysis; and the two built-in processes behind them
 * (`builtin minknow_scan`, the discovery scan; `builtin basecall`, the basecall step).
 */
import { ApiError } from '../../../shared/errors';
import { modsLabel } from '../../../shared/nanopore/basecallName';
import { BASECALL_STATUSES, MODEL_TIERS, type BasecallRun, type DiscoveryProgress, type ExperimentDetail } from '../../../shared/schemas/experiments';
import { scanForRuns } from '../../experiments/scan';
import { runBasecall } from '../../experiments/basecallStep';
import { InputError } from '../../pipelines/qslam/fastq';
import type { ScanLine } from '../../experiments/discovery';
import type { Session } from '../../api/session';
import { STEP_PROCESS } from './builtin';
import { printJson, table, withSession, type CliCommand, type CliContext, type OptionValues } from '../context';

const s = { type: 'string' } as const;
const b = { type: 'boolean' } as const;

function str(v: OptionValues[string]): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function oneArg(args: string[], what: string, usage: string): string {
  if (args.length !== 1) throw new ApiError('invalid_request', `expected exactly one ${what}. Usage: ${usage}`);
  return args[0]!;
}

function wholeNumber(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new ApiError('invalid_request', `--${flag} must be a whole number, not ${JSON.stringify(v)}.`);
  return Number(v);
}

const STATE_LABEL: Record<string, string> = {
  complete: 'complete',
  incomplete_transfer: 'INCOMPLETE TRANSFER',
  in_progress: 'in progress',
  interrupted: 'interrupted',
};

/** Wait for a discovery scan to end, through the session's events (and one look, in case it ended already). */
export async function waitForScan(session: Session, scanId: string, onProgress: (p: DiscoveryProgress) => void): Promise<DiscoveryProgress> {
  return new Promise((resolve) => {
    const unsubscribe = session.events.subscribe(({ name, payload }) => {
      if (name !== 'discovery.progress') return;
      const p = payload as DiscoveryProgress;
      if (p.scanId !== scanId) return;
      onProgress(p);
      if (p.state !== 'running') {
        unsubscribe();
        resolve(p);
      }
    });
    void session.call('experiments.discovery', { scanId }).then((p) => {
      if (p.state !== 'running') {
        unsubscribe();
        resolve(p);
      }
    });
  });
}

function basecallRows(runs: BasecallRun[]): string[][] {
  return runs.map((r) => [
    r.runId,
    r.modelTier ?? '—',
    r.modelVersion ?? '—',
    r.trim === null ? '—' : String(r.trim),
    r.modBitflag === null ? '—' : `${r.modBitflag} (${modsLabel(r.mods)})`,
    r.status ?? '—',
    r.bamPath ?? '—',
  ]);
}

function showExperiment(ctx: CliContext, e: ExperimentDetail): void {
  ctx.out(`Experiment ${e.expId}`);
  const facts: [string, string | number | null][] = [
    ['Folder', e.experimentPath],
    ['Instrument', e.instrument],
    ['Flow cell', [e.flowCellId, e.flowCellProduct].filter(Boolean).join(' · ') || null],
    ['Kit', e.sequencingKit],
    ['Sample', e.sampleId],
    ['Protocol', e.protocol],
    ['Protocol run', e.protocolRunId],
    ['Started', e.started],
    ['POD5 files', e.pod5Count === null ? null : `${e.pod5Count}${e.pod5Expected !== null ? ` of ${e.pod5Expected} expected` : ''}`],
    ['POD5 folder', e.pod5Dir],
    ['State', e.runState ? STATE_LABEL[e.runState] ?? e.runState : null],
    ['Source', e.source],
  ];
  for (const line of table(facts.map(([k, v]) => [`${k}:`, v ?? '—']), '  ')) ctx.out(line);
  if (e.warnings.length > 0) {
    ctx.out('');
    ctx.out(`Warnings from the run's files (${e.warnings.length}):`);
    for (const w of e.warnings) ctx.out(`  ${w.message}`);
  }
  ctx.out('');
  if (e.basecalls.length === 0) ctx.out('Basecall runs: none');
  else {
    ctx.out(`Basecall runs (${e.basecalls.length}):`);
    for (const line of table([['Run ID', 'Tier', 'Version', 'Trim', 'Mods', 'Status', 'BAM'], ...basecallRows(e.basecalls)], '  ')) ctx.out(line);
  }
  if (e.libraries.length > 0) {
    ctx.out('');
    ctx.out(`Library specs (${e.libraries.length}):`);
    for (const line of table(e.libraries.map((l) => [l.libId, `${l.libName} ${l.libVersion ?? ''}`.trim(), l.relationship ?? '—', l.runPurpose ?? '—']), '  ')) ctx.out(line);
  }
}

export const experimentsCommands: CliCommand[] = [
  {
    words: ['discover'],
    usage: 'benchtop discover DIR…',
    summary: 'Scan folders for MinKNOW runs and store them as experiments (again: updated, never duplicated)',
    options: {},
    run: (ctx, _values, args) =>
      withSession(ctx, async (session) => {
        if (args.length === 0) throw new ApiError('invalid_request', 'give at least one folder. Usage: benchtop discover DIR…');
        const { scanId } = await session.call('experiments.discover', { dirs: args });
        const tty = process.stderr.isTTY;
        const end = await waitForScan(session, scanId, (p) => {
          if (tty) process.stderr.write(`\r${p.foldersScanned} folders scanned, ${p.runsFound} runs found`);
        });
        if (tty) process.stderr.write('\n');
        if (end.state === 'failed') throw new Error(end.error ?? 'the scan failed');
        const experiments = await Promise.all(end.expIds.map((expId) => session.call('experiments.get', { expId })));
        if (ctx.json) return printJson(ctx, { ...end, experiments });
        ctx.out(`Scanned ${end.foldersScanned} folders: ${end.runsFound} MinKNOW runs (${end.added} new, ${end.updated} changed, ${end.unchanged} unchanged).`);
        if (experiments.length === 0) return;
        const rows = experiments.map((e) => [e.expId, e.flowCellId ?? '—', e.sampleId ?? '—', e.sequencingKit ?? '—', e.pod5Count ?? '—', e.pod5Expected ?? '—', STATE_LABEL[e.runState ?? ''] ?? '—']);
        for (const line of table([['Exp ID', 'Flow cell', 'Sample', 'Kit', 'POD5', 'Expected', 'State'], ...rows])) ctx.out(line);
        const warned = experiments.filter((e) => e.warnings.length > 0);
        if (warned.length > 0) ctx.out(`\nWarnings (benchtop experiments show ID repeats them):`);
        for (const e of warned) for (const w of e.warnings) ctx.out(`  ${e.expId}: ${w.message}`);
      }),
  },
  {
    words: ['experiments', 'migrate'],
    usage: 'benchtop experiments migrate SOURCE [--dry-run]',
    summary: "Copy the experiments of a legacy nanopore_experiments.db (seed 000's mapping), all or nothing; --dry-run changes nothing",
    options: { 'dry-run': b },
    run: (ctx, values, args) =>
      withSession(ctx, async (session) => {
        const source = oneArg(args, 'legacy database', 'benchtop experiments migrate SOURCE [--dry-run]');
        const result = await session.call('experiments.migrateLegacy', { source, dryRun: values['dry-run'] === true });
        if (ctx.json) return printJson(ctx, result);
        ctx.out(`Found ${result.found} experiments in ${result.source}`);
        for (const line of table(result.rows.map((r) => [r.action === 'add' ? '+' : '~', r.expId, r.sampleId ?? '—', r.experimentPath ?? '—']), '  ')) ctx.out(line);
        ctx.out(
          result.dryRun
            ? `Dry run: would add ${result.added} and update ${result.updated}; nothing was changed.`
            : `Migrated: ${result.added} added, ${result.updated} updated.`,
        );
      }),
  },
  {
    words: ['experiments', 'list'],
    usage: 'benchtop experiments list [--search S]',
    summary: 'Experiments, newest first: flow cell, sample, kit, POD5 files, transfer state, basecall runs',
    options: { search: s },
    run: (ctx, values) =>
      withSession(ctx, async (session) => {
        const search = str(values.search);
        const list = await session.call('experiments.list', search ? { search } : {});
        if (ctx.json) return printJson(ctx, list);
        if (list.length === 0) return ctx.out('No experiments.');
        const rows = list.map((e) => [e.expId, e.flowCellId ?? '—', e.sampleId ?? '—', e.sequencingKit ?? '—', e.started ?? '—', e.pod5Count ?? '—', STATE_LABEL[e.runState ?? ''] ?? '—', e.basecallRuns, e.warnings.length || '']);
        for (const line of table([['Exp ID', 'Flow cell', 'Sample', 'Kit', 'Started', 'POD5', 'State', 'Basecalls', 'Warnings'], ...rows])) ctx.out(line);
      }),
  },
  {
    words: ['experiments', 'show'],
    usage: 'benchtop experiments show ID',
    summary: 'One experiment: its MinKNOW metadata, basecall runs and linked library specs',
    options: {},
    run: (ctx, _values, args) =>
      withSession(ctx, async (session) => {
        const detail = await session.call('experiments.get', { expId: oneArg(args, 'experiment id', 'benchtop experiments show ID') });
        if (ctx.json) printJson(ctx, detail);
        else showExperiment(ctx, detail);
      }),
  },
  {
    words: ['basecalls', 'register'],
    usage:
      'benchtop basecalls register BAM [--exp ID] [--tier fast|hac|sup] [--version V] [--trim 0|1] [--mods N] [--status S] [--create-experiment]',
    summary: 'Register an existing BAM as a basecall run; fields from {exp_id}_{tier}_v{version}_trim{0|1}_{mods}.bam unless given',
    options: { exp: s, tier: s, version: s, trim: s, mods: s, status: s, 'create-experiment': b },
    run: (ctx, values, args) =>
      withSession(ctx, async (session) => {
        const bamPath = oneArg(args, 'BAM file', 'benchtop basecalls register BAM [--exp ID] …');
        const tier = str(values.tier);
        if (tier !== undefined && !(MODEL_TIERS as readonly string[]).includes(tier)) throw new ApiError('invalid_request', `--tier must be one of ${MODEL_TIERS.join(', ')}, not ${JSON.stringify(tier)}.`);
        const trim = str(values.trim);
        if (trim !== undefined && trim !== '0' && trim !== '1') throw new ApiError('invalid_request', `--trim must be 0 or 1, not ${JSON.stringify(trim)}.`);
        const status = str(values.status);
        if (status !== undefined && !(BASECALL_STATUSES as readonly string[]).includes(status)) throw new ApiError('invalid_request', `--status must be one of ${BASECALL_STATUSES.join(', ')}, not ${JSON.stringify(status)}.`);
        const expId = str(values.exp);
        const version = str(values.version);
        const mods = wholeNumber('mods', str(values.mods));
        const run = await session.call('basecalls.register', {
          bamPath,
          ...(expId !== undefined ? { expId } : {}),
          ...(tier !== undefined ? { tier: tier as (typeof MODEL_TIERS)[number] } : {}),
          ...(version !== undefined ? { version } : {}),
          ...(trim !== undefined ? { trim: trim === '1' ? 1 : 0 } : {}),
          ...(mods !== undefined ? { modBitflag: mods } : {}),
          ...(status !== undefined ? { status: status as (typeof BASECALL_STATUSES)[number] } : {}),
          ...(values['create-experiment'] ? { createExperiment: true } : {}),
        });
        if (ctx.json) return printJson(ctx, run);
        ctx.out(`Registered basecall run ${run.runId} of experiment ${run.expId}: ${run.modelTier} ${run.modelVersion}, trim ${run.trim}, mods ${run.modBitflag} (${modsLabel(run.mods)}), ${run.status}`);
        ctx.out(`  BAM: ${run.bamPath}`);
      }),
  },
  {
    words: ['builtin', 'minknow_scan'],
    usage: 'benchtop builtin minknow_scan DIR…',
    summary: 'The discovery scan as Benchtop runs it: one JSON line per progress step and per MinKNOW run found',
    noJson: 'it prints one JSON line per progress step and per run found (benchtop discover --json prints one document)',
    options: {},
    run: async (ctx, _values, args) => {
      let last = 0;
      const line = (value: ScanLine) => ctx.out(JSON.stringify(value));
      const done = await scanForRuns(args, {
        onRun: (run) => line({ run }),
        onProgress: (counts) => {
          if (Date.now() - last < 100) return;
          last = Date.now();
          line({ progress: counts });
        },
      });
      line({ progress: { foldersScanned: done.foldersScanned, runsFound: done.runsFound } });
    },
  },
  {
    words: ['builtin', 'basecall'],
    usage:
      'benchtop builtin basecall --dorado PATH --exp-id ID --pod5 DIR --model M --step-dir DIR --run-dir DIR [--modified-bases "6mA 5mCG_5hmCG"] [--no-trim] [--batch-size N] [--emit-moves] [--device cuda:all]',
    summary: 'Nanopore step: dorado basecaller → {exp_id}_{tier}_v{version}_trim{0|1}_{mods}.bam, registered as a basecall run (writes results.json)',
    noJson: STEP_PROCESS,
    options: {
      dorado: s,
      'exp-id': s,
      pod5: s,
      model: s,
      'modified-bases': s,
      'no-trim': b,
      'batch-size': s,
      'emit-moves': b,
      device: s,
      'step-dir': s,
      'run-dir': s,
    },
    run: async (ctx, v) => {
      const need = (name: string) => {
        const value = str(v[name]);
        if (value === undefined) throw new InputError(`--${name} is required`);
        return value;
      };
      await runBasecall(
        {
          dorado: need('dorado'),
          expId: need('exp-id'),
          pod5Dir: need('pod5'),
          model: need('model'),
          modifiedBases: (str(v['modified-bases']) ?? '').split(/[\s,]+/).filter(Boolean),
          trim: v['no-trim'] !== true,
          batchSize: wholeNumber('batch-size', str(v['batch-size'])) ?? 0,
          emitMoves: v['emit-moves'] === true,
          device: str(v.device) ?? 'cuda:all',
          stepDir: need('step-dir'),
          runDir: need('run-dir'),
        },
        ctx.out,
      );
    },
  },
];
