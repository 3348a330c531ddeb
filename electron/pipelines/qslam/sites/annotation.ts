/**
 * Nearest-gene annotation of insertion sites, after the original's target_gene_prediction.R
 * (ChIPpeakAnno, FeatureLocForDistance = "TSS"), with a user-given gene annotation instead of a
 * Bioconductor TxDb.
 *
 * Annotation formats (detected per line):
 *   BED6+   chrom start end name score strand          (0-based start, exclusive end)
 *   GTF     chrom source feature start end score strand frame attributes   (1-based, inclusive)
 *   GFF3    same columns, attributes "key=value;…"
 * From GTF/GFF only `gene` lines are used (when a file has none, `transcript`/`mRNA` lines are).
 * Names: GTF gene_name, else gene_id; GFF3 Name, else gene_name, else ID. Lines with strand "." are
 * skipped (a TSS needs a strand).
 *
 * THE RULE (all coordinates 0-based base positions; the site is the junction coordinate J):
 *   TSS   = the gene's first transcribed base: BED start on +, BED end − 1 (= the GTF end) on −
 *   d     = J − TSS on a + gene, TSS − J on a − gene   (so upstream of the gene is negative)
 *   nearest gene = the smallest |d| on the site's chromosome (ties: the gene listed first)
 *   region:
 *     promoter    when −promoter_left ≤ d < promoter_right
 *     enhancer    when −enhancer_left ≤ d < −promoter_left
 *     inside      otherwise, when start ≤ J < end (in the gene body)
 *     upstream    otherwise, when d < 0
 *     downstream  otherwise (past the gene's 3' end)
 * Promoter and enhancer win over inside, as in the original (its gene_region took the enhancer and
 * promoter windows first and fell back to ChIPpeakAnno's insideFeature).
 */
import type { Strand } from './bedpe';

export type Region = 'promoter' | 'enhancer' | 'inside' | 'upstream' | 'downstream';

export interface Gene {
  chr: string;
  start: number;
  end: number;
  strand: Strand;
  name: string;
}

export interface RegionRule {
  promoterLeft: number;
  promoterRight: number;
  enhancerLeft: number;
}

export const DEFAULT_RULE: RegionRule = { promoterLeft: 5000, promoterRight: 2000, enhancerLeft: 50000 };

export class AnnotationError extends Error {}

export function tss(g: Gene): number {
  return g.strand === '+' ? g.start : g.end - 1;
}

/** Signed distance from the gene's TSS to position J, in the gene's orientation (upstream < 0). */
export function tssDistance(g: Gene, position: number): number {
  return g.strand === '+' ? position - tss(g) : tss(g) - position;
}

export function classifyRegion(d: number, insideGene: boolean, rule: RegionRule = DEFAULT_RULE): Region {
  if (d >= -rule.promoterLeft && d < rule.promoterRight) return 'promoter';
  if (d >= -rule.enhancerLeft && d < -rule.promoterLeft) return 'enhancer';
  if (insideGene) return 'inside';
  return d < 0 ? 'upstream' : 'downstream';
}

export type AnnotationLine = { kind: 'gene' | 'transcript'; gene: Gene } | { kind: 'skip'; reason: 'comment' | 'feature' | 'no_strand' };

function attr(attrs: string, key: string): string | null {
  // GTF: key "value";   GFF3: key=value;
  const gtf = new RegExp(`(?:^|;)\\s*${key}\\s+"([^"]*)"`).exec(attrs);
  if (gtf) return gtf[1] ?? null;
  const gff = new RegExp(`(?:^|;)\\s*${key}=([^;]*)`).exec(attrs);
  return gff ? decodeURIComponent(gff[1] ?? '') : null;
}

/** One annotation line (BED, GTF or GFF3). Throws AnnotationError on a malformed line. */
export function parseAnnotationLine(line: string): AnnotationLine {
  const text = line.replace(/\r$/, '');
  if (!text.trim() || text.startsWith('#') || text.startsWith('track') || text.startsWith('browser')) return { kind: 'skip', reason: 'comment' };
  const f = text.split('\t');
  const isGff = f.length >= 9 && /^\d+$/.test(f[3] ?? '') && /^\d+$/.test(f[4] ?? '') && /^[+\-.?]$/.test(f[6] ?? '');
  if (isGff) {
    const feature = f[2] as string;
    const kind = feature === 'gene' ? 'gene' : feature === 'transcript' || feature === 'mRNA' ? 'transcript' : null;
    if (!kind) return { kind: 'skip', reason: 'feature' };
    const strand = f[6];
    if (strand !== '+' && strand !== '-') return { kind: 'skip', reason: 'no_strand' };
    const attrs = f[8] as string;
    const name = attr(attrs, 'gene_name') ?? attr(attrs, 'Name') ?? attr(attrs, 'gene_id') ?? attr(attrs, 'ID') ?? `${f[0]}:${f[3]}-${f[4]}`;
    const start = Number(f[3]) - 1;
    const end = Number(f[4]);
    if (end <= start) throw new AnnotationError(`end (${f[4]}) is before start (${f[3]})`);
    return { kind, gene: { chr: f[0] as string, start, end, strand, name } };
  }
  if (f.length < 6) {
    throw new AnnotationError(`expected BED6 (chrom, start, end, name, score, strand) or GTF/GFF (9 columns), found ${f.length} column${f.length === 1 ? '' : 's'}`);
  }
  const start = Number(f[1]);
  const end = Number(f[2]);
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start) throw new AnnotationError(`BED start and end must be whole numbers with 0 ≤ start < end (${JSON.stringify(f[1])}, ${JSON.stringify(f[2])})`);
  const strand = f[5];
  if (strand !== '+' && strand !== '-') return { kind: 'skip', reason: 'no_strand' };
  return { kind: 'gene', gene: { chr: f[0] as string, start, end, strand, name: f[3] || `${f[0]}:${start}-${end}` } };
}

/** Collects genes from annotation lines (gene lines, else transcripts). */
export class AnnotationBuilder {
  private readonly genes: Gene[] = [];
  private readonly transcripts: Gene[] = [];
  skippedNoStrand = 0;

  add(line: string): void {
    const r = parseAnnotationLine(line);
    if (r.kind === 'gene') this.genes.push(r.gene);
    else if (r.kind === 'transcript') this.transcripts.push(r.gene);
    else if (r.kind === 'skip' && r.reason === 'no_strand') this.skippedNoStrand++;
  }

  result(): Gene[] {
    return this.genes.length > 0 ? this.genes : this.transcripts;
  }
}

export function parseAnnotation(text: string): Gene[] {
  const b = new AnnotationBuilder();
  text.split('\n').forEach((line, i) => {
    try {
      b.add(line);
    } catch (err) {
      throw new AnnotationError(`line ${i + 1}: ${(err as Error).message}`);
    }
  });
  return b.result();
}

export interface SiteAnnotation {
  gene: string;
  geneStrand: Strand;
  tssDistance: number;
  region: Region;
}

interface Entry {
  tss: number;
  order: number;
  gene: Gene;
}

export class GeneIndex {
  private readonly byChr = new Map<string, Entry[]>();
  readonly size: number;

  constructor(genes: readonly Gene[]) {
    genes.forEach((gene, order) => {
      const list = this.byChr.get(gene.chr) ?? [];
      list.push({ tss: tss(gene), order, gene });
      this.byChr.set(gene.chr, list);
    });
    for (const list of this.byChr.values()) list.sort((a, b) => a.tss - b.tss || a.order - b.order);
    this.size = genes.length;
  }

  /** The gene whose TSS is nearest to `position` (ties: first in the annotation), or null. */
  nearest(chr: string, position: number): Gene | null {
    const list = this.byChr.get(chr);
    if (!list || list.length === 0) return null;
    // First entry with tss ≥ position.
    let a = 0;
    let b = list.length;
    while (a < b) {
      const mid = (a + b) >> 1;
      if ((list[mid] as Entry).tss < position) a = mid + 1;
      else b = mid;
    }
    const candidates: Entry[] = [];
    const left = a > 0 ? (list[a - 1] as Entry).tss : null;
    const right = a < list.length ? (list[a] as Entry).tss : null;
    const dl = left === null ? Infinity : position - left;
    const dr = right === null ? Infinity : right - position;
    const best = Math.min(dl, dr);
    if (dl === best) for (let i = a - 1; i >= 0 && (list[i] as Entry).tss === left; i--) candidates.push(list[i] as Entry);
    if (dr === best) for (let i = a; i < list.length && (list[i] as Entry).tss === right; i++) candidates.push(list[i] as Entry);
    candidates.sort((x, y) => x.order - y.order);
    return candidates[0]?.gene ?? null;
  }

  annotate(chr: string, position: number, rule: RegionRule = DEFAULT_RULE): SiteAnnotation | null {
    const gene = this.nearest(chr, position);
    if (!gene) return null;
    const d = tssDistance(gene, position);
    return { gene: gene.name, geneStrand: gene.strand, tssDistance: d, region: classifyRegion(d, position >= gene.start && position < gene.end, rule) };
  }
}
