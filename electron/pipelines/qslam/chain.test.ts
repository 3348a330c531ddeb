/**
 * The qsLAM chain without the job runner, with the real tools: a generated dataset with planted
 * insertion sites → umi → cutadapt → readlen → read_mapping → site_analysis, the built-ins run as
 * `node bin/benchtop.js builtin …` processes from the argv their step definitions build (needs
 * `node scripts/build.mjs` first, as `npm test` does). Then every planted site must be found with
 * its gene and region, and the peaks must equal what the original pipeline's bedtools commands give.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateQslamDataset, type QslamDataset } from '../../demo/data/qslam';
import { loadStepResult } from '../../results/index';
import { buildArgv, builtinStepsDir, loadStepCatalog, validateStepParams, type StepDefinition } from '../../steps/index';
import { which } from './proc';

const ROOT = join(import.meta.dirname, '../../..');
const BIN = join(ROOT, 'bin/benchtop.js');
const BUILT = join(ROOT, 'dist/cli/benchtop.js');
const tool = (name: string) => {
  const p = which(name);
  if (!p) throw new Error(`${name} is not installed (Debian package ${name})`);
  return p;
};

const tmp = mkdtempSync(join(tmpdir(), 'benchtop-chain-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const workspace = join(tmp, 'workspace');
const runDir = join(workspace, 'runs', 'run-1');
const stepDir = (id: string) => join(runDir, id);

function run(argv: string[]): { code: number | null; stdout: string; stderr: string } {
  const [cmd, ...args] = argv;
  const r = spawnSync(cmd as string, args, { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function benchtop(args: string[]) {
  return run([process.execPath, BIN, ...args]);
}

const catalog = loadStepCatalog({ builtin: builtinStepsDir(), user: null });
function step(id: string): StepDefinition {
  const s = catalog.steps.find((x) => x.id === id);
  if (!s) throw new Error(`step ${id} did not load: ${JSON.stringify(catalog.errors)}`);
  return s;
}

/** The argv the job runner would start for a step of ours. */
function argvFor(id: string, params: Record<string, unknown>, inputs: Record<string, string>): string[] {
  const s = step(id);
  const v = validateStepParams(s, params);
  if (!v.ok) throw new Error(v.problems.map((p) => p.message).join('; '));
  return buildArgv(s, {
    params: v.params,
    inputs,
    stepDir: stepDir(id),
    runDir,
    tools: { bwa: tool('bwa'), samtools: tool('samtools'), bedtools: tool('bedtools') },
    benchtop: [process.execPath, BIN],
    threads: 2,
  });
}

function tsv(path: string): Record<string, string>[] {
  const [head, ...rows] = readFileSync(path, 'utf8').trim().split('\n');
  const cols = (head as string).split('\t');
  return rows.map((r) => Object.fromEntries(r.split('\t').map((v, i) => [cols[i] as string, v])));
}

describe('the qsLAM chain with the real tools', () => {
  let data: QslamDataset;
  const logs: Record<string, string> = {};

  beforeAll(() => {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`node scripts/build.mjs\` first (npm test does).`);
    data = generateQslamDataset({ dir: join(tmp, 'data'), seed: 3, umiLength: 8 });
    mkdirSync(join(runDir, 'rawdata'), { recursive: true });
    copyFileSync(data.r1, join(runDir, 'rawdata', 'R1.fastq.gz'));
    copyFileSync(data.r2, join(runDir, 'rawdata', 'R2.fastq.gz'));

    const raw = { r1: join(runDir, 'rawdata', 'R1.fastq.gz'), r2: join(runDir, 'rawdata', 'R2.fastq.gz') };
    const umi = run(argvFor('umi', {}, raw));
    logs.umi = umi.stdout + umi.stderr;
    if (umi.code !== 0) throw new Error(`umi failed: ${logs.umi}`);

    mkdirSync(stepDir('cutadapt'));
    const trimmed = { r1: join(stepDir('cutadapt'), 'R1.trimmed.fastq.gz'), r2: join(stepDir('cutadapt'), 'R2.trimmed.fastq.gz') };
    const cut = run([tool('cutadapt'), '-g', `^${data.r1Primer}`, '-G', `^${data.r2Linker}`, '-e', '0.1', '--minimum-length', '30', '--json', join(stepDir('cutadapt'), 'cutadapt.json'), '-o', trimmed.r1, '-p', trimmed.r2, join(stepDir('umi'), 'R1.fastq.gz'), join(stepDir('umi'), 'R2.fastq.gz')]);
    if (cut.code !== 0) throw new Error(`cutadapt failed: ${cut.stderr}`);

    const rl = run(argvFor('readlen', {}, trimmed));
    logs.readlen = rl.stdout + rl.stderr;
    if (rl.code !== 0) throw new Error(`readlen failed: ${logs.readlen}`);

    const map = run(argvFor('read_mapping', { genome: data.genomeGz, genome_tar_url: 'https://example.org/test-genome.tar.gz' }, trimmed));
    logs.read_mapping = map.stdout + map.stderr;
    if (map.code !== 0) throw new Error(`read_mapping failed: ${logs.read_mapping}`);

    const sites = run(argvFor('site_analysis', { annotation: data.annotationGtf, spike_bed: data.spikeBed }, { bam: join(stepDir('read_mapping'), 'mapped.bam') }));
    logs.site_analysis = sites.stdout + sites.stderr;
    if (sites.code !== 0) throw new Error(`site_analysis failed: ${logs.site_analysis}`);
  }, 180_000);

  it('umi: every pair processed, the too-short ones dropped, UMIs in both names', () => {
    const r = loadStepResult(stepDir('umi'), 'builtin');
    const m = (label: string) => r?.metrics.find((x) => x.label === label)?.value;
    const kept = data.pairs.filter((p) => p.r1Length >= 8);
    expect(m('Read pairs processed')).toBe(data.pairs.length);
    expect(m('Read pairs written')).toBe(kept.length);
    expect(m('Distinct UMIs')).toBe(new Set(kept.map((p) => p.umi)).size);
    expect(logs.umi).toMatch(/^##progress \d+ \d+ bytes$/m);
  });

  it('readlen: a table and a plot of both reads', () => {
    const r = loadStepResult(stepDir('readlen'), 'builtin');
    expect(r?.plots[0]?.series.map((s) => s.name)).toEqual(['R1', 'R2']);
    expect(r?.metrics.find((m) => m.label === 'R1 reads')?.value).toBeGreaterThan(0);
    expect(existsSync(join(stepDir('readlen'), 'readlen.tsv'))).toBe(true);
  });

  it('read_mapping: a sorted, indexed BAM, flagstat, and the genome index cached in references/', () => {
    for (const f of ['mapped.bam', 'mapped.bam.bai', 'flagstat.txt']) expect(existsSync(join(stepDir('read_mapping'), f))).toBe(true);
    const r = loadStepResult(stepDir('read_mapping'), 'builtin');
    const mapped = r?.metrics.find((m) => m.label === 'Mapped' && m.unit === '%')?.value;
    expect(mapped).toBe(100);
    expect(r?.tables[0]?.rows.length).toBeGreaterThan(10);
    expect(logs.read_mapping).toMatch(/building the bwa index/);
    expect(logs.read_mapping).toMatch(/recorded \(not fetched/);
    const header = run([tool('samtools'), 'view', '-H', join(stepDir('read_mapping'), 'mapped.bam')]).stdout;
    expect(header).toMatch(/SO:coordinate/);
    // A second run reuses the index.
    const trimmed = { r1: join(stepDir('cutadapt'), 'R1.trimmed.fastq.gz'), r2: join(stepDir('cutadapt'), 'R2.trimmed.fastq.gz') };
    const again = run(argvFor('read_mapping', { genome: data.genomeGz }, trimmed));
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/using the cached bwa index in .*references\/[0-9a-f]{16}\/bwa/);
    expect(again.stdout).not.toMatch(/building the bwa index/);
  });

  it('site_analysis finds every planted site, with its gene, region and counts, and nothing else', () => {
    const peaks = tsv(join(stepDir('site_analysis'), 'peaks.tsv'));
    const kept = tsv(join(stepDir('site_analysis'), 'peaks.kept.tsv'));
    for (const site of data.sites) {
      const found = peaks.filter((p) => p.seqnames === site.chr && p.strand === site.strand && Math.abs(Number(p.site) - site.position) <= 2);
      expect(found, `planted site ${site.id} ${site.chr}:${site.position}(${site.strand})`).toHaveLength(1);
      const p = found[0] as Record<string, string>;
      expect({ id: site.id, gene: p.gene, region: p.gene_region, d: Number(p.tss_distance), u: Number(p.nUniqueReads), n: Number(p.nReads), spike: Number(p.nOverlapWithSpike) }).toEqual({
        id: site.id,
        gene: site.gene,
        region: site.region,
        d: site.tssDistance,
        u: site.nUniqueReads,
        n: site.nReads,
        spike: site.nOverlapWithSpike,
      });
      expect(kept.some((k) => k.name === p.name)).toBe(site.kept);
    }
    expect(peaks).toHaveLength(data.sites.length);
    for (const d of data.decoys) expect(peaks.some((p) => p.seqnames === d.chr && Math.abs(Number(p.site) - d.position) < 1000), d.why).toBe(false);
    // Percentages over the kept peaks.
    const sumU = kept.reduce((a, k) => a + Number(k.nUniqueReads), 0);
    for (const k of kept) expect(Math.abs(Number(k.percent) - (100 * Number(k.nUniqueReads)) / sumU)).toBeLessThanOrEqual(0.005 + 1e-9);
    // Ranked by nUniqueReads.
    const u = peaks.map((p) => Number(p.nUniqueReads));
    expect([...u].sort((a, b) => b - a)).toEqual(u);

    const r = loadStepResult(stepDir('site_analysis'), 'builtin');
    const m = (label: string) => r?.metrics.find((x) => x.label === label)?.value;
    expect(m('Peaks')).toBe(data.sites.length);
    expect(m('Peaks kept')).toBe(data.sites.filter((s) => s.kept).length);
    expect(m('Unique fragments')).toBe(data.sites.reduce((a, s) => a + s.nUniqueReads, 0));
    expect(m('Fragments')).toBe(data.sites.reduce((a, s) => a + s.nReads, 0));
    expect(r?.tables[0]?.rows).toHaveLength(data.sites.filter((s) => s.kept).length);
    expect(r?.files.map((f) => f.path)).toContain('site_analysis/peaks.tsv');
    expect(existsSync(join(stepDir('site_analysis'), 'filtered.namesorted.bam'))).toBe(false);
  });

  it('the peaks equal what the original pipeline\'s bedtools commands give on the same fragments', () => {
    const dir = join(tmp, 'original');
    mkdirSync(dir, { recursive: true });
    const frags = readFileSync(join(stepDir('site_analysis'), 'fragments.bed'), 'utf8').trim().split('\n').map((l) => l.split('\t'));
    const site = (f: string[]) => (f[5] === '+' ? Number(f[1]) : Number(f[2]));
    const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    // rmdup: unique (chr, start, end, strand); sites counted; sort -k1,1 -k2,2n; bedtools merge -s -d 5 -c 5 -o sum.
    const unique = [...new Map(frags.map((f) => [`${f[0]}\t${f[1]}\t${f[2]}\t${f[5]}`, f])).values()];
    const counts = new Map<string, number>();
    for (const f of unique) {
      const key = `${f[0]}\t${site(f)}\t${f[5]}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const siteBed = [...counts].map(([k, n]) => {
      const [chr, pos, strand] = k.split('\t');
      return [chr as string, Number(pos), Number(pos) + 1, '.', n, strand as string] as const;
    });
    siteBed.sort((a, b) => byText(a[0], b[0]) || a[1] - b[1]);
    writeFileSync(join(dir, 'sites.bed'), siteBed.map((r) => r.join('\t')).join('\n') + '\n');
    const merged = run([tool('bedtools'), 'merge', '-s', '-d', '5', '-c', '5,6', '-o', 'sum,distinct', '-i', join(dir, 'sites.bed')]);
    expect(merged.code).toBe(0);
    const peaks6 = merged.stdout.trim().split('\n').map((l) => {
      const [chr, s, e, sum, strand] = l.split('\t');
      return [chr, s, e, '.', sum, strand].join('\t');
    });
    writeFileSync(join(dir, 'peaks6.bed'), peaks6.join('\n') + '\n');
    writeFileSync(join(dir, 'all.bed'), frags.map((f) => [f[0], site(f), site(f) + 1, '.', '.', f[5]].join('\t')).join('\n') + '\n');
    const withReads = run([tool('bedtools'), 'intersect', '-a', join(dir, 'peaks6.bed'), '-b', join(dir, 'all.bed'), '-c', '-s']);
    writeFileSync(join(dir, 'peaks7.bed'), withReads.stdout);
    const withSpike = run([tool('bedtools'), 'window', '-w', '5', '-a', join(dir, 'peaks7.bed'), '-b', data.spikeBed, '-sm', '-c']);
    expect(withSpike.code).toBe(0);
    const original = withSpike.stdout.trim().split('\n').map((l) => {
      const c = l.split('\t');
      return [c[0], c[1], c[2], c[5], c[4], c[6], c[7]].join(' ');
    });
    const ours = tsv(join(stepDir('site_analysis'), 'peaks.tsv')).map((p) => [p.seqnames, p.start, p.end, p.strand, p.nUniqueReads, p.nReads, p.nOverlapWithSpike].join(' '));
    expect(ours.sort()).toEqual(original.sort());
  });

  it('a BED annotation gives the same genes and regions as the GTF', () => {
    const dir = join(tmp, 'sa-bed');
    const r = benchtop(['builtin', 'site_analysis', '--bam', join(stepDir('read_mapping'), 'mapped.bam'), '--step-dir', dir, '--annotation', data.annotationBed]);
    expect(r.code).toBe(0);
    const a = tsv(join(dir, 'peaks.tsv')).map((p) => `${p.site} ${p.gene} ${p.gene_region} ${p.tss_distance}`);
    const b = tsv(join(stepDir('site_analysis'), 'peaks.tsv')).map((p) => `${p.site} ${p.gene} ${p.gene_region} ${p.tss_distance}`);
    expect(a.sort()).toEqual(b.sort());
  });
});

describe('bad input: a non-zero exit and one clear line naming the file and record', () => {
  const dir = join(tmp, 'bad');
  const oneLine = (stderr: string) => {
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    return lines[0] as string;
  };
  const rec = (name: string, seq = 'ACGTACGTACGTACGTACGT', qual = 'IIIIIIIIIIIIIIIIIIII') => `@${name} x\n${seq}\n+\n${qual}\n`;

  beforeAll(() => {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`node scripts/build.mjs\` first (npm test does).`);
    mkdirSync(dir, { recursive: true });
  });

  it('a truncated FASTQ', () => {
    const body = Array.from({ length: 4000 }, (_, i) => rec(`r${i}`)).join('');
    const gz = gzipSync(body);
    writeFileSync(join(dir, 'R1.fastq.gz'), gz.subarray(0, gz.length - 200));
    writeFileSync(join(dir, 'R2.fastq.gz'), gz);
    const r = benchtop(['builtin', 'umi', '--r1', join(dir, 'R1.fastq.gz'), '--r2', join(dir, 'R2.fastq.gz'), '--step-dir', join(dir, 'umi')]);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toMatch(/^benchtop builtin umi: R1\.fastq\.gz record \d+: (the gzip data is truncated or corrupt|the file is truncated)/);
    // Plain text cut inside a record.
    writeFileSync(join(dir, 'cut.fastq'), `${rec('a')}${rec('b')}@c x\nACGT\n`);
    const t = benchtop(['builtin', 'readlen', '--r1', join(dir, 'cut.fastq'), '--step-dir', join(dir, 'readlen')]);
    expect(t.code).toBe(1);
    expect(oneLine(t.stderr)).toBe('benchtop builtin readlen: cut.fastq record 3: the file is truncated (it ends inside the record)');
    expect(existsSync(join(dir, 'umi', 'R1.fastq.gz'))).toBe(false);
  });

  it('sequence and quality of different lengths', () => {
    writeFileSync(join(dir, 'q.fastq'), `${rec('a')}${rec('b', 'ACGT', 'III')}`);
    const r = benchtop(['builtin', 'readlen', '--r1', join(dir, 'q.fastq'), '--step-dir', join(dir, 'readlen2')]);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toBe('benchtop builtin readlen: q.fastq record 2: sequence and quality lengths differ (4 and 3)');
  });

  it('mismatched pair names', () => {
    writeFileSync(join(dir, 'm1.fastq'), [rec('p1'), rec('p2'), rec('p3')].join(''));
    writeFileSync(join(dir, 'm2.fastq'), [rec('p1'), rec('p2'), rec('zz3')].join(''));
    const r = benchtop(['builtin', 'umi', '--r1', join(dir, 'm1.fastq'), '--r2', join(dir, 'm2.fastq'), '--step-dir', join(dir, 'umi2')]);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toBe('benchtop builtin umi: m2.fastq record 3: read name "zz3" does not match m1.fastq\'s "p3" (mates out of sync)');
  });

  it('an empty genome file', () => {
    writeFileSync(join(dir, 'empty.fa'), '');
    writeFileSync(join(dir, 'e1.fastq'), rec('p1'));
    writeFileSync(join(dir, 'e2.fastq'), rec('p1'));
    const r = benchtop(['builtin', 'read_mapping', '--r1', join(dir, 'e1.fastq'), '--r2', join(dir, 'e2.fastq'), '--step-dir', join(dir, 'rm'), '--genome', join(dir, 'empty.fa'), '--references-dir', join(dir, 'refs')]);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toBe(`benchtop builtin read_mapping: ${join(dir, 'empty.fa')}: the genome file is empty (expected a FASTA file with at least one sequence)`);
    writeFileSync(join(dir, 'notfasta.fa'), 'hello\n');
    const n = benchtop(['builtin', 'read_mapping', '--r1', join(dir, 'e1.fastq'), '--r2', join(dir, 'e2.fastq'), '--step-dir', join(dir, 'rm'), '--genome', join(dir, 'notfasta.fa'), '--references-dir', join(dir, 'refs')]);
    expect(n.code).toBe(1);
    expect(oneLine(n.stderr)).toMatch(/notfasta\.fa line 1: not a FASTA file/);
  });

  it('read pairs out of sync given to read_mapping (bwa only warns: we fail)', () => {
    const data = generateQslamDataset({ dir: join(dir, 'gen'), seed: 9, umiLength: 0, shortR1Pairs: 0 });
    writeFileSync(join(dir, 'o1.fastq'), [rec('p1'), rec('p2'), rec('p3')].join(''));
    writeFileSync(join(dir, 'o2.fastq'), [rec('p1'), rec('p2')].join(''));
    const r = benchtop(['builtin', 'read_mapping', '--r1', join(dir, 'o1.fastq'), '--r2', join(dir, 'o2.fastq'), '--step-dir', join(dir, 'rm2'), '--genome', data.genome, '--references-dir', join(dir, 'refs')]);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toMatch(/^benchtop builtin read_mapping: o1\.fastq \/ o2\.fastq: the read files are malformed or their pairs are out of sync/);
    expect(existsSync(join(dir, 'rm2', 'mapped.bam'))).toBe(false);
  });

  it('a missing flag, a bad value, a malformed annotation', () => {
    const r = benchtop(['builtin', 'umi', '--r2', 'x', '--step-dir', dir]);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toBe('benchtop builtin umi: --r1 is required');
    const v = benchtop(['builtin', 'umi', '--r1', 'x', '--r2', 'y', '--step-dir', dir, '--umi-length', '40']);
    expect(oneLine(v.stderr)).toBe('benchtop builtin umi: --umi-length must be a whole number from 1 to 32, not 40');
    writeFileSync(join(dir, 'genes.bed'), 'chr1\t10\t20\tG\t0\t+\nchr1\tten\t20\tH\t0\t+\n');
    writeFileSync(join(dir, 'fake.bam'), 'x');
    const a = benchtop(['builtin', 'site_analysis', '--bam', join(dir, 'fake.bam'), '--step-dir', join(dir, 'sa'), '--annotation', join(dir, 'genes.bed')]);
    expect(a.code).toBe(1);
    expect(oneLine(a.stderr)).toMatch(/genes\.bed line 2: BED start and end must be whole numbers/);
  });
});
