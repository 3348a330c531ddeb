import { describe, expect, it } from 'vitest';
import { AnnotationError, GeneIndex, classifyRegion, parseAnnotation, parseAnnotationLine, tssDistance, type Gene } from './annotation';

const rule = { promoterLeft: 5000, promoterRight: 2000, enhancerLeft: 50000 };
const plusGene: Gene = { chr: 'chr1', start: 100_000, end: 120_000, strand: '+', name: 'P' };
const minusGene: Gene = { chr: 'chr1', start: 300_000, end: 320_000, strand: '-', name: 'M' };

describe('region boundaries', () => {
  it('promoter is −promoter_left ≤ d < promoter_right', () => {
    expect(classifyRegion(-5000, false, rule)).toBe('promoter');
    expect(classifyRegion(-5001, false, rule)).toBe('enhancer');
    expect(classifyRegion(1999, true, rule)).toBe('promoter');
    expect(classifyRegion(2000, true, rule)).toBe('inside');
    expect(classifyRegion(2000, false, rule)).toBe('downstream');
    expect(classifyRegion(0, false, rule)).toBe('promoter');
  });
  it('enhancer is −enhancer_left ≤ d < −promoter_left', () => {
    expect(classifyRegion(-50000, false, rule)).toBe('enhancer');
    expect(classifyRegion(-50001, false, rule)).toBe('upstream');
    expect(classifyRegion(-5001, false, rule)).toBe('enhancer');
  });
  it('uses the given widths', () => {
    expect(classifyRegion(-150, false, { promoterLeft: 100, promoterRight: 50, enhancerLeft: 200 })).toBe('enhancer');
    expect(classifyRegion(50, true, { promoterLeft: 100, promoterRight: 50, enhancerLeft: 200 })).toBe('inside');
  });
});

describe('distance to the TSS in the gene orientation', () => {
  it('+ gene: TSS = start, upstream is to the left', () => {
    expect(tssDistance(plusGene, 95_000)).toBe(-5000);
    expect(tssDistance(plusGene, 100_000)).toBe(0);
    expect(tssDistance(plusGene, 101_999)).toBe(1999);
  });
  it('− gene: TSS = end − 1, upstream is to the right', () => {
    expect(tssDistance(minusGene, 319_999)).toBe(0);
    expect(tssDistance(minusGene, 324_999)).toBe(-5000);
    expect(tssDistance(minusGene, 318_000)).toBe(1999);
  });
  it('annotates both orientations at the exact boundaries', () => {
    const idx = new GeneIndex([plusGene, minusGene]);
    expect(idx.annotate('chr1', 95_000, rule)).toEqual({ gene: 'P', geneStrand: '+', tssDistance: -5000, region: 'promoter' });
    expect(idx.annotate('chr1', 94_999, rule)?.region).toBe('enhancer');
    expect(idx.annotate('chr1', 102_000, rule)).toMatchObject({ tssDistance: 2000, region: 'inside' });
    expect(idx.annotate('chr1', 50_000, rule)).toMatchObject({ tssDistance: -50000, region: 'enhancer' });
    expect(idx.annotate('chr1', 49_999, rule)).toMatchObject({ region: 'upstream' });
    expect(idx.annotate('chr1', 324_999, rule)).toMatchObject({ gene: 'M', tssDistance: -5000, region: 'promoter' });
    expect(idx.annotate('chr1', 325_000, rule)).toMatchObject({ gene: 'M', tssDistance: -5001, region: 'enhancer' });
    expect(idx.annotate('chr1', 317_999, rule)).toMatchObject({ gene: 'M', tssDistance: 2000, region: 'inside' });
    expect(idx.annotate('chr1', 369_999, rule)).toMatchObject({ gene: 'M', tssDistance: -50000, region: 'enhancer' });
    expect(idx.annotate('chr1', 370_000, rule)).toMatchObject({ gene: 'M', region: 'upstream' });
    // Past the 3' end of the + gene, nearer its TSS than M's: downstream.
    expect(idx.annotate('chr1', 125_000, rule)).toMatchObject({ gene: 'P', tssDistance: 25000, region: 'downstream' });
    expect(idx.annotate('chr2', 1, rule)).toBeNull();
  });
  it('the nearest TSS wins; ties go to the gene listed first', () => {
    const a: Gene = { chr: 'c', start: 1000, end: 2000, strand: '+', name: 'A' };
    const b: Gene = { chr: 'c', start: 500, end: 3001, strand: '-', name: 'B' }; // TSS 3000
    const idx = new GeneIndex([b, a]);
    expect(idx.nearest('c', 1900)?.name).toBe('A');
    expect(idx.nearest('c', 2100)?.name).toBe('B');
    expect(idx.nearest('c', 2000)?.name).toBe('B'); // 1000 from each: B is first in the file
    expect(new GeneIndex([a, b]).nearest('c', 2000)?.name).toBe('A');
  });
});

describe('annotation files', () => {
  it('BED6 with strand', () => {
    expect(parseAnnotation('track name=x\nchr1\t10\t20\tG1\t0\t+\nchr1\t30\t40\tG2\t0\t.\n')).toEqual([{ chr: 'chr1', start: 10, end: 20, strand: '+', name: 'G1' }]);
  });
  it('GTF gene lines, 1-based inclusive, gene_name', () => {
    const gtf = [
      'chr1\tsrc\tgene\t11\t20\t.\t-\t.\tgene_id "E1"; gene_name "ONE";',
      'chr1\tsrc\texon\t11\t15\t.\t-\t.\tgene_id "E1"; gene_name "ONE"; transcript_id "T";',
      'chr1\tsrc\tgene\t31\t40\t.\t+\t.\tgene_id "E2";',
    ].join('\n');
    expect(parseAnnotation(gtf)).toEqual([
      { chr: 'chr1', start: 10, end: 20, strand: '-', name: 'ONE' },
      { chr: 'chr1', start: 30, end: 40, strand: '+', name: 'E2' },
    ]);
  });
  it('GFF3 Name=, transcripts when there are no gene lines', () => {
    expect(parseAnnotation('##gff-version 3\nchr2\tsrc\tmRNA\t1\t100\t.\t+\t.\tID=t1;Name=TX%201\n')).toEqual([{ chr: 'chr2', start: 0, end: 100, strand: '+', name: 'TX 1' }]);
  });
  it('rejects malformed lines naming the line', () => {
    expect(() => parseAnnotationLine('chr1\t10')).toThrow(AnnotationError);
    expect(() => parseAnnotation('chr1\t10\t20\tG\t0\t+\nchr1\t50\t40\tG\t0\t+')).toThrow(/line 2/);
  });
});
