/** `benchtop ingest` for an experiment the workspace does not know: created with its basecall run, as the seed's ingest needed no registration. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../tests/cli';
import { tempDirs } from '../../tests/tempWorkspace';
import { randomSeq, rng, writeBam, writeFasta } from '../demo/data/smaReads';

const BUILT = join(import.meta.dirname, '../../dist/cli/benchtop.js');

const dirs = tempDirs('benchtop-ingest-cli-');
const data = join(dirs.root, 'data');

function benchtop(args: string[]) {
  return runCli(args, dirs, { cwd: data });
}

const experiment = (expId: string) => benchtop(['experiments', 'show', expId, '--json']);

describe('benchtop ingest --exp for an experiment the workspace does not know', () => {
  beforeAll(() => {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`npm run build\` first (npm test does).`);
    mkdirSync(data, { recursive: true });
    const target = randomSeq(rng(3), 400);
    writeFasta(join(data, 'targets.fa'), [['t1', target]]);
    const reads = Array.from({ length: 12 }, (_, i) => ({ name: `r${i}`, seq: target, qual: Array<number>(400).fill(25) }));
    writeBam(join(data, 'reads.bam'), reads);
    writeBam(join(data, 'EXP2_sup_v5.0.0_trim1_0.bam'), reads);
    writeFileSync(join(data, 'notabam.bam'), 'plain text\n');
    expect(benchtop(['init']).code).toBe(0);
  });
  afterAll(() => dirs.cleanup());

  it('creates the experiment and a basecall run from a freely named BAM, and says so on stderr', () => {
    const r = benchtop(['ingest', '--exp', 'EXP1', '--bam', 'reads.bam', '--ref', 'targets.fa', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Experiment EXP1 was not in the workspace: created it, and basecall run reads from reads.bam.');
    expect(JSON.parse(r.stdout)).toMatchObject({ run_id: 'reads', total_reads: 12, matched_reads: 12, readsDb: join(dirs.workspace, 'reads', 'SMA_EXP1.db') });
    const shown = JSON.parse(experiment('EXP1').stdout) as { source: string; basecalls: { runId: string; bamPath: string }[] };
    expect(shown.source).toBe('manual');
    expect(shown.basecalls).toEqual([expect.objectContaining({ runId: 'reads', bamPath: join(data, 'reads.bam') })]);
    // Once known, the experiment is only used: no second creation, the same basecall run.
    const again = benchtop(['ingest', '--exp', 'EXP1', '--bam', 'reads.bam', '--ref', 'targets.fa']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toContain('was not in the workspace');
    expect(again.stdout).toContain('Basecall run reads: 12 reads, 12 matched');
  });

  it('registers a BAM named by the convention with its fields, as basecalls register --create-experiment does', () => {
    const r = benchtop(['ingest', '--exp', 'EXP2', '--bam', 'EXP2_sup_v5.0.0_trim1_0.bam', '--ref', 'targets.fa']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Experiment EXP2 was not in the workspace: created it, and basecall run EXP2_sup_v5.0.0_trim1_0 from EXP2_sup_v5.0.0_trim1_0.bam.');
    const shown = JSON.parse(experiment('EXP2').stdout) as { basecalls: unknown[] };
    expect(shown.basecalls).toEqual([expect.objectContaining({ runId: 'EXP2_sup_v5.0.0_trim1_0', modelTier: 'sup', modelVersion: 'v5.0.0', trim: 1, status: 'analyzed' })]);
  });

  it('creates nothing when the BAM is missing or is not a BAM, and names the file', () => {
    const missing = benchtop(['ingest', '--exp', 'EXP3', '--bam', 'gone.bam', '--ref', 'targets.fa']);
    expect(missing).toMatchObject({ code: 1, stderr: `benchtop ingest: There is no file ${join(data, 'gone.bam')}\n` });
    const text = benchtop(['ingest', '--exp', 'EXP3', '--bam', 'notabam.bam', '--ref', 'targets.fa']);
    expect(text.code).toBe(1);
    expect(text.stderr).toContain(`${join(data, 'notabam.bam')} is not a BAM file`);
    expect(experiment('EXP3')).toMatchObject({ code: 1, stderr: expect.stringContaining('There is no experiment EXP3') });
  });
});
