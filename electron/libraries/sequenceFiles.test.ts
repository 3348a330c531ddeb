import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../../tests/tempWorkspace';
import { AMPLICON_SEQ, PLASMID_SEQ, genbank, plasmidGenbank, snapgene } from '../demo/data/sequences';
import { readSequenceFile } from './sequenceFiles';
import { gcFraction } from './validate';

const dirs = tempDirs('benchtop-seqfiles-');
afterAll(() => dirs.cleanup());

function write(name: string, content: string | Buffer): string {
  const file = join(dirs.root, name);
  writeFileSync(file, content);
  return file;
}

describe('GC fraction', () => {
  it('counts G and C over A, C, G and T only', () => {
    expect(gcFraction(PLASMID_SEQ)).toBeCloseTo(10 / 60, 6);
    expect(gcFraction(AMPLICON_SEQ)).toBe(0.6);
    expect(gcFraction('ggccNNNNat')).toBeCloseTo(4 / 6, 6);
    expect(gcFraction('NNNN')).toBeNull();
    expect(gcFraction('')).toBeNull();
  });
});

describe('sequence files', () => {
  it('reads every record of a GenBank file with its features, accession, organism and topology', async () => {
    const { format, records } = await readSequenceFile(write('two.gb', plasmidGenbank()));
    expect(format).toBe('genbank');
    expect(records.map((r) => [r.name, r.sequence.length, r.annotations.topology])).toEqual([
      ['pTest', 60, 'circular'],
      ['amp1', 20, 'linear'],
    ]);
    const [plasmid] = records;
    expect(plasmid!.sequence).toBe(PLASMID_SEQ);
    expect(plasmid!.accession).toBe('AB123456');
    expect(plasmid!.organism).toBe('Escherichia coli');
    expect(records[1]!.accession).toBeNull(); // GenBank's "." for none
    expect(plasmid!.annotations.features).toEqual([
      expect.objectContaining({ name: 'pTest promoter', type: 'promoter', start: 0, end: 19, strand: 1 }),
      expect.objectContaining({ name: 'geneX', type: 'CDS', start: 24, end: 53, strand: -1, notes: { note: ['a gene'] } }),
    ]);
  });

  it('keeps every feature type, primer_bind included, and the segments of a join() location', async () => {
    const features = `     primer_bind     1..20
                     /label="fwd primer"
     misc_feature    join(5..10,30..40)
                     /label="split"
     CDS             complement(join(41..45,50..55))
                     /label="two exons"
     my_own_type     12..14
`;
    const { records } = await readSequenceFile(write('features.gb', genbank([{ name: 'pF', seq: PLASMID_SEQ, features }])));
    expect(records[0]!.annotations.features).toEqual([
      { name: 'fwd primer', type: 'primer_bind', start: 0, end: 19, strand: 1 },
      { name: 'split', type: 'misc_feature', start: 4, end: 39, strand: 1, segments: [{ start: 4, end: 9 }, { start: 29, end: 39 }] },
      { name: 'two exons', type: 'CDS', start: 40, end: 54, strand: -1, segments: [{ start: 40, end: 44 }, { start: 49, end: 54 }] },
      expect.objectContaining({ type: 'my_own_type', start: 11, end: 13 }),
    ]);
  });

  it('reads FASTA records, named by the first word of their header', async () => {
    const { format, records } = await readSequenceFile(write('two.fasta', `>first construct one\n${PLASMID_SEQ.slice(0, 30)}\n${PLASMID_SEQ.slice(30)}\n>second\nacgtn\n`));
    expect(format).toBe('fasta');
    expect(records.map((r) => [r.name, r.sequence])).toEqual([
      ['first', PLASMID_SEQ],
      ['second', 'ACGTN'],
    ]);
  });

  it('reads a SnapGene file written byte by byte', async () => {
    const file = write('p.dna', snapgene(PLASMID_SEQ, [{ name: 'ori', type: 'rep_origin', range: [2, 10], directionality: 2 }]));
    const { format, records } = await readSequenceFile(file);
    expect(format).toBe('snapgene');
    expect(records).toHaveLength(1);
    expect(records[0]!.sequence).toBe(PLASMID_SEQ);
    expect(records[0]!.annotations.topology).toBe('circular');
    expect(records[0]!.annotations.features).toEqual([expect.objectContaining({ name: 'ori', type: 'rep_origin', start: 1, end: 9, strand: -1 })]);
  });

  it('names the file (and the record) when it cannot be read', async () => {
    const badFasta = write('bad.fa', `>ok\nACGT\n>broken\nACGTJJ\n`);
    await expect(readSequenceFile(badFasta)).rejects.toThrow(new RegExp(`${badFasta}: record 2 \\(broken\\): .*J`));
    const notFasta = write('plain.fasta', 'hello\n');
    await expect(readSequenceFile(notFasta)).rejects.toThrow(`${notFasta}: not a FASTA file`);
    const notGb = write('x.gb', 'nothing here');
    await expect(readSequenceFile(notGb)).rejects.toThrow(`${notGb}: not a GenBank file`);
    const notDna = write('x.dna', 'not snapgene');
    await expect(readSequenceFile(notDna)).rejects.toThrow(`${notDna}: not a SnapGene file`);
    const unknown = write('x.txt', 'what');
    await expect(readSequenceFile(unknown)).rejects.toThrow(`${unknown}: not a FASTA, GenBank or SnapGene file`);
    await expect(readSequenceFile(join(dirs.root, 'missing.gb'))).rejects.toThrow(/missing\.gb: cannot be read \(ENOENT\)/);
    const empty = write('empty.fa', '>nothing\n');
    await expect(readSequenceFile(empty)).rejects.toThrow(`${empty}: record 1 (nothing) has no sequence.`);
  });

  it('a GenBank line over 1 MiB is refused, naming the line (a FASTA line may be a chromosome: 256 MiB)', async () => {
    const long = write('long.gb', `LOCUS       long\nDEFINITION  ${'x'.repeat((1 << 20) + 1)}\nORIGIN\n        1 acgt\n//\n`);
    await expect(readSequenceFile(long)).rejects.toThrow(`${long}: line 2: line longer than 1 MiB.`);
    const { records } = await readSequenceFile(write('chromosome.fasta', `>chr\n${'ACGT'.repeat(1 << 19)}\n`));
    expect(records[0]!.sequence.length).toBe(1 << 21);
  });

  it('detects the format from the content when the extension says nothing', async () => {
    expect((await readSequenceFile(write('seqs.txt', '>a\nACGT\n'))).format).toBe('fasta');
    expect((await readSequenceFile(write('seqs.seq', plasmidGenbank()))).records).toHaveLength(2);
  });
});
