import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { ApiError } from '../../shared/errors';
import { firstLongLine, LINE_LIMITS, sizeText } from '../pipelines/qslam/fastq';

export type SequenceFormat = 'fasta' | 'genbank' | 'snapgene';

/** One feature of a construct: 0-based, `end` inclusive (bio-parsers' convention), strand 1 or -1. */
export interface Feature {
  name: string;
  type: string;
  start: number;
  end: number;
  strand: 1 | -1;
  notes?: Record<string, unknown>;
}

/** What annotations_json holds for an imported construct. */
export interface Annotations {
  topology: 'circular' | 'linear';
  description?: string;
  features: Feature[];
}

export interface ParsedRecord {
  name: string;
  sequence: string;
  accession: string | null;
  organism: string | null;
  annotations: Annotations;
}

const EXTENSIONS: Record<string, SequenceFormat> = {
  '.fa': 'fasta',
  '.fasta': 'fasta',
  '.fna': 'fasta',
  '.fas': 'fasta',
  '.fsa': 'fasta',
  '.gb': 'genbank',
  '.gbk': 'genbank',
  '.gbff': 'genbank',
  '.genbank': 'genbank',
  '.ape': 'genbank',
  '.dna': 'snapgene',
};

const SNAPGENE_MAGIC = Buffer.from([0x09, 0x00, 0x00, 0x00, 0x0e, ...Buffer.from('SnapGene', 'ascii')]);

/** By extension, else by the first bytes. */
export function detectFormat(file: string, head: Buffer): SequenceFormat | null {
  const byExt = EXTENSIONS[extname(file).toLowerCase()];
  if (byExt) return byExt;
  if (head.subarray(0, SNAPGENE_MAGIC.length).equals(SNAPGENE_MAGIC)) return 'snapgene';
  const text = head.subarray(0, 200).toString('latin1').trimStart();
  if (text.startsWith('>')) return 'fasta';
  if (text.startsWith('LOCUS')) return 'genbank';
  return null;
}

interface TgFeature {
  name?: string;
  type?: string;
  start: number;
  end: number;
  strand?: number;
  notes?: Record<string, unknown>;
}
interface TgSequence {
  name?: string;
  sequence?: string;
  circular?: boolean;
  accession?: string;
  description?: string;
  definition?: string;
  features?: TgFeature[] | Record<string, TgFeature>;
  extraLines?: string[];
}
interface TgResult {
  success: boolean;
  messages?: string[];
  parsedSequence?: TgSequence;
}

function organismOf(seq: TgSequence): string | null {
  const features = Object.values(seq.features ?? {});
  for (const f of features) {
    const org = f.notes?.organism;
    if (Array.isArray(org) && typeof org[0] === 'string') return org[0];
  }
  for (const line of seq.extraLines ?? []) {
    const m = /^\s*ORGANISM\s+(.+)$/.exec(line);
    if (m?.[1]) return m[1].trim();
  }
  return null;
}

function toRecord(file: string, format: SequenceFormat, result: TgResult, index: number): ParsedRecord {
  const where = `${file}: record ${index + 1}`;
  const seq = result.parsedSequence;
  if (!result.success || !seq) throw new ApiError('invalid_request', `${where}: not a readable ${format} record${result.messages?.length ? ` (${result.messages.join('; ')})` : ''}.`);
  const name = (format === 'fasta' ? seq.name?.split(/\s+/)[0] : seq.name)?.trim() || `record ${index + 1}`;
  const bad = (result.messages ?? []).find((m) => /invalid character/i.test(m));
  if (bad) throw new ApiError('invalid_request', `${where} (${name}): ${bad.replace(/^Sequence .*?: /, '')}`);
  const sequence = (seq.sequence ?? '').toUpperCase();
  if (sequence.length === 0) throw new ApiError('invalid_request', `${where} (${name}) has no sequence.`);
  const features = Object.values(seq.features ?? {}).map((f): Feature => ({
    name: f.name ?? f.type ?? 'feature',
    type: f.type ?? 'misc_feature',
    start: f.start,
    end: f.end,
    strand: f.strand === -1 ? -1 : 1,
    ...(f.notes && Object.keys(f.notes).length ? { notes: f.notes } : {}),
  }));
  const description = seq.definition ?? seq.description;
  return {
    name,
    sequence,
    // GenBank writes "." for "no accession".
    accession: seq.accession?.trim().replace(/^\.$/, '') || null,
    organism: organismOf(seq),
    annotations: { topology: seq.circular ? 'circular' : 'linear', ...(description ? { description } : {}), features },
  };
}

/** Every record of a FASTA, GenBank or SnapGene file; a bad file is an error naming it (and the record). */
export async function readSequenceFile(file: string): Promise<{ format: SequenceFormat; records: ParsedRecord[] }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new ApiError('invalid_request', `${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`);
  }
  const format = detectFormat(file, bytes);
  if (!format) throw new ApiError('invalid_request', `${file}: not a FASTA, GenBank or SnapGene file (name it .fasta, .gb or .dna).`);
  // Loaded on first use: it is large, and every `benchtop` command would otherwise pay for it at start.
  const { fastaToJson, genbankToJson, snapgeneToJson } = await import('@teselagen/bio-parsers');
  let results: TgResult[];
  if (format === 'snapgene') {
    if (!bytes.subarray(0, SNAPGENE_MAGIC.length).equals(SNAPGENE_MAGIC)) throw new ApiError('invalid_request', `${file}: not a SnapGene file (no SnapGene header).`);
    // Its bundled Buffer does not know Node's, so it would read `bytes.buffer` (Node's whole pool):
    // give it the bytes as an indexable array under `.buffer`.
    results = (await snapgeneToJson({ buffer: new Uint8Array(bytes) }, { fileName: basename(file) })) as TgResult[];
  } else {
    // A FASTA line may be a whole chromosome; a GenBank line is 80 columns (a feature's note may run longer).
    const maxLine = format === 'fasta' ? LINE_LIMITS.fasta : LINE_LIMITS.table;
    const long = firstLongLine(bytes, maxLine);
    if (long > 0) throw new ApiError('invalid_request', `${file}: line ${long}: line longer than ${sizeText(maxLine)}.`);
    const text = bytes.toString('utf8');
    if (format === 'fasta' && !text.trimStart().startsWith('>')) throw new ApiError('invalid_request', `${file}: not a FASTA file (it does not start with ">").`);
    if (format === 'genbank' && !text.trimStart().startsWith('LOCUS')) throw new ApiError('invalid_request', `${file}: not a GenBank file (it does not start with "LOCUS").`);
    // Its .d.ts reads a JSDoc `[string]` as a tuple; it takes the file's text.
    results = (format === 'fasta' ? fastaToJson(text as unknown as [string], {}) : genbankToJson(text, {})) as TgResult[];
  }
  if (results.length === 0) throw new ApiError('invalid_request', `${file}: no sequence records.`);
  return { format, records: results.map((r, i) => toRecord(file, format, r, i)) };
}
