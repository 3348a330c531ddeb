/**
 * BEDPE lines from `bedtools bamtobed -bedpe -mate1` → fragments → insertion sites.
 *
 * Fields: chrom1 start1 end1 chrom2 start2 end2 name score strand1 strand2 (0-based, end exclusive),
 * mate 1 always first. As in the original pipeline: a pair whose mates are on different
 * chromosomes (or with an unmapped mate, chrom ".") gives no fragment; the fragment is
 * min(start1, start2) .. max(end1, end2) on MATE 1's strand.
 */
export type Strand = '+' | '-';

export interface BedpeRecord {
  chrom1: string;
  start1: number;
  end1: number;
  chrom2: string;
  start2: number;
  end2: number;
  name: string;
  score: string;
  strand1: string;
  strand2: string;
}

export interface Fragment {
  chr: string;
  start: number;
  end: number;
  strand: Strand;
  name: string;
  score: string;
}

export class BedpeError extends Error {}

export function parseBedpeLine(line: string): BedpeRecord {
  const f = line.split('\t');
  if (f.length < 10) throw new BedpeError(`expected 10 tab-separated BEDPE fields, found ${f.length}`);
  const int = (i: number) => {
    const v = Number(f[i]);
    if (!Number.isInteger(v)) throw new BedpeError(`field ${i + 1} is not a whole number (${JSON.stringify(f[i])})`);
    return v;
  };
  return {
    chrom1: f[0] as string,
    start1: int(1),
    end1: int(2),
    chrom2: f[3] as string,
    start2: int(4),
    end2: int(5),
    name: f[6] as string,
    score: f[7] as string,
    strand1: f[8] as string,
    strand2: f[9] as string,
  };
}

/** The fragment a properly placed pair spans, or null (mates on different chromosomes, a mate unmapped). */
export function fragmentOf(r: BedpeRecord): Fragment | null {
  if (r.chrom1 !== r.chrom2 || r.chrom1 === '.' || r.start1 < 0 || r.start2 < 0) return null;
  if (r.strand1 !== '+' && r.strand1 !== '-') return null;
  return { chr: r.chrom1, start: Math.min(r.start1, r.start2), end: Math.max(r.end1, r.end2), strand: r.strand1, name: r.name, score: r.score };
}

/**
 * The insertion site of a fragment: its start on + and its end on − (the BED end). Both are the
 * junction coordinate J between genomic bases J-1 and J, where R1 leaves the vector's LTR.
 */
export function insertionSite(f: { start: number; end: number; strand: Strand }): number {
  return f.strand === '+' ? f.start : f.end;
}
