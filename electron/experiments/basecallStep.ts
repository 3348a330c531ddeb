/**
 * The `basecall` step: `dorado basecaller` on an experiment's POD5 folder, its BAM (dorado writes
 * it to stdout) saved under the convention's name in the step's folder, then registered as a
 * basecall run with dorado's version, arguments, runtime and GPU.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { once } from 'node:events';
import { basecallRunId, decodeModBitflag, singleModifications, type BasecallName } from '../../shared/nanopore/basecallName';
import { MODEL_TIERS, type ModelTier } from '../../shared/schemas/experiments';
import { modificationRows } from '../../db/repos/experiments';
import { emptyResult, jobIdFromEnv, resultFile, round, writeStepResult } from '../results/files';
import { InputError } from '../pipelines/qslam/fastq';
import { Workspace } from '../workspace/workspace';
import { registerBasecall } from './basecalls';

export interface BasecallOptions {
  dorado: string;
  expId: string;
  pod5Dir: string;
  /** `sup@v5.0.0`, or a full model name such as `dna_r10.4.1_e8.2_400bps_sup@v5.0.0`. */
  model: string;
  /** lk_modifications mod_type names (dorado's --modified-bases names), e.g. ["6mA", "5mCG_5hmCG"]. */
  modifiedBases: string[];
  trim: boolean;
  /** 0: dorado chooses. */
  batchSize: number;
  emitMoves: boolean;
  device: string;
  stepDir: string;
  runDir: string;
}

const MODEL_RE = new RegExp(`(?:^|_)(${MODEL_TIERS.join('|')})@(v\\d[0-9A-Za-z.]*)$`);

/** The tier and version of a dorado model name. */
export function parseModel(model: string): { tier: ModelTier; version: string } {
  const m = MODEL_RE.exec(model);
  if (!m) throw new InputError(`--model ${JSON.stringify(model)} is not a dorado model like sup@v5.0.0 or dna_r10.4.1_e8.2_400bps_sup@v5.0.0`);
  return { tier: m[1] as ModelTier, version: m[2]! };
}

/** dorado's argv after the executable: exactly what it is given, element by element. */
export function basecallerArgs(o: Pick<BasecallOptions, 'model' | 'pod5Dir' | 'modifiedBases' | 'trim' | 'batchSize' | 'emitMoves' | 'device'>): string[] {
  return [
    'basecaller',
    o.model,
    o.pod5Dir,
    '--recursive',
    '--device',
    o.device,
    ...(o.batchSize > 0 ? ['--batchsize', String(o.batchSize)] : []),
    ...(o.trim ? [] : ['--no-trim']),
    ...(o.emitMoves ? ['--emit-moves'] : []),
    ...(o.modifiedBases.length > 0 ? ['--modified-bases', ...o.modifiedBases] : []),
  ];
}

/** dorado prints its version on stderr; the first non-empty line of either stream. */
function doradoVersion(dorado: string): string | null {
  const r = spawnSync(dorado, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  const line = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.split('\n').map((l) => l.trim()).find(Boolean);
  return r.status === 0 && line ? line : null;
}

/** The GPU's name from nvidia-smi for a CUDA device; null on the CPU or without nvidia-smi. */
function gpuModel(device: string): string | null {
  if (!device.startsWith('cuda')) return null;
  const r = spawnSync('nvidia-smi', ['--query-gpu=name', '--format=csv,noheader'], { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0 || !r.stdout) return null;
  const names = [...new Set(r.stdout.split('\n').map((l) => l.trim()).filter(Boolean))];
  return names.length ? names.join(', ') : null;
}

export async function runBasecall(o: BasecallOptions, log: (line: string) => void): Promise<void> {
  const runDir = resolve(o.runDir);
  const workspace = Workspace.open(dirname(dirname(runDir)), 'flag');
  try {
    const db = workspace.db;
    if (db.prepare('SELECT 1 FROM experiments WHERE exp_id = ?').get(o.expId) === undefined) {
      throw new InputError(`there is no experiment ${o.expId} in ${workspace.layout.centralDb}`);
    }
    const rows = modificationRows(db);
    const singles = singleModifications(rows);
    let modBitflag = 0;
    for (const name of o.modifiedBases) {
      const row = singles.find((r) => r.mod_type === name);
      if (!row) throw new InputError(`--modified-bases: ${JSON.stringify(name)} is not a modification of lk_modifications (known: ${singles.map((r) => r.mod_type).join(', ')})`);
      modBitflag |= row.mod_code;
    }
    const decoded = decodeModBitflag(modBitflag, rows);
    if (!decoded.ok) throw new InputError(decoded.message);
    const { tier, version } = parseModel(o.model);
    const name: BasecallName = { expId: o.expId, tier, version, trim: o.trim ? 1 : 0, modBitflag };
    const runId = basecallRunId(name);
    const bam = join(o.stepDir, `${runId}.bam`);
    const partial = `${bam}.partial`;

    const version_ = doradoVersion(o.dorado);
    const gpu = gpuModel(o.device);
    const args = basecallerArgs(o);
    log(`dorado ${version_ ?? '(version unknown)'}${gpu ? ` on ${gpu}` : ''}`);
    log(`$ ${JSON.stringify([o.dorado, ...args])}`);
    log(`writing ${bam}`);

    const started = process.hrtime.bigint();
    const out = createWriteStream(partial);
    const child = spawn(o.dorado, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.pipe(out);
    const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
    if (!out.closed) await once(out, 'close');
    const runtime = Number(process.hrtime.bigint() - started) / 1e9;
    if (code !== 0) {
      rmSync(partial, { force: true });
      throw new InputError(`dorado basecaller ${signal ? `was ended by ${signal}` : `exited with code ${code}`}; no BAM was registered`);
    }
    renameSync(partial, bam);
    const run = registerBasecall(
      db,
      { bamPath: bam, ...name, version, status: 'complete' },
      {
        actor: 'basecall step',
        doradoVersion: version_,
        doradoArgs: args.join(' '),
        batchSize: o.batchSize > 0 ? o.batchSize : null,
        emitMoves: o.emitMoves ? 1 : 0,
        gpuModel: gpu,
        runtimeSeconds: round(runtime, 3),
        analysisRunId: basename(runDir),
        jobId: jobIdFromEnv(),
      },
    );
    log(`registered basecall run ${run.runId} (${round(runtime, 1)} s)`);

    const result = emptyResult(o.stepDir, 'basecall');
    result.metrics.push(
      { label: 'Basecall run', value: run.runId },
      { label: 'Model', value: o.model },
      { label: 'Modifications', value: decoded.mods.length ? decoded.mods.map((m) => m.mod_type).join(' + ') : 'none' },
      { label: 'dorado version', value: version_ },
      { label: 'GPU', value: gpu },
      { label: 'Runtime', value: round(runtime, 1), unit: 's' },
    );
    result.files.push(resultFile(o.stepDir, bam, 'Basecalled reads (BAM)', 'bam'));
    writeStepResult(o.stepDir, result);
  } finally {
    workspace.close();
  }
}
