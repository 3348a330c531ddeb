import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { ApiError } from '../../shared/errors';
import { MAX_FIELD_CHARS } from '../../shared/schemas/libraries';
import { firstLongLine, LINE_LIMITS, sizeText } from '../pipelines/qslam/fastq';

export type SequenceFormat = 'fasta' | 'genbank' | 'snapgene';

/** A stretch of the sequence: 0-based, `end` inclusive (bio-parsers' convention). */
export interface Span {
  start: number;
  end: number;
}

/**
 * One feature of a construct, of any type the file gives (primer_bind, misc_feature, …), strand 1
 * or -1. `start`–`end` is its whole extent; a `join(…)` location also keeps its `segments`.
 */
export interface Feature extends Span {
  name: string;
  type: string;
  strand: 1 | -1;
  segments?: Span[];
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
  locations?: Span[];
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

const count = (n: number) => n.toLocaleString('en-US');

/** A construct's sequence is one field: longer than the field holds, it is refused before anything is stored. */
function checkLength(where: string, length: number): void {
  if (length > MAX_FIELD_CHARS) {
    throw new ApiError('invalid_request', `${where} is ${count(length)} bp long; a construct holds at most ${count(MAX_FIELD_CHARS)} bp.`);
  }
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
  checkLength(`${where} (${name})`, sequence.length);
  // bio-parsers moves a feature that lies past the sequence's end back onto it, with a message:
  // in a file that is cut short, the features name bases the file no longer has.
  const outside = (result.messages ?? []).find((m) => /^Invalid feature (start|end)/.test(m));
  if (outside) {
    const feature = /detected for (.*) and set to/.exec(outside)?.[1] ?? 'a feature';
    throw new ApiError('invalid_request', `${where} (${name}): the feature "${feature}" lies outside the ${count(sequence.length)} bp of sequence (is the file cut short?).`);
  }
  const features = Object.values(seq.features ?? {}).map((f): Feature => ({
    name: f.name ?? f.type ?? 'feature',
    type: f.type ?? 'misc_feature',
    start: f.start,
    end: f.end,
    strand: f.strand === -1 ? -1 : 1,
    ...(f.locations && f.locations.length > 1 ? { segments: f.locations.map(({ start, end }) => ({ start, end })) } : {}),
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

/**
 * The checks bio-parsers does not make on GenBank text, before it is parsed: every record ends with
 * its `//` line (a file cut short otherwise crashes the parser, or yields a shorter sequence), and
 * the length its LOCUS line declares fits a construct (refused before a 20 Mbp ORIGIN is parsed).
 * Returns each record's declared length (null where its LOCUS line gives none).
 */
function checkGenbankRecords(file: string, text: string): (number | null)[] {
  const starts = [...text.matchAll(/^LOCUS\b.*$/gm)];
  return starts.map((locus, i) => {
    const name = locus[0].split(/\s+/)[1] ?? `record ${i + 1}`;
    const declared = /\s(\d+)\s+(bp|aa)\b/.exec(locus[0]);
    if (declared) checkLength(`${file}: record ${i + 1} (${name})`, Number(declared[1]));
    const body = text.slice(locus.index, starts[i + 1]?.index ?? text.length);
    if (!/^\/\/[ \t\r]*$/m.test(body)) throw new ApiError('invalid_request', `${file}: the file ends early (record ${name}: no "//" line).`);
    return declared ? Number(declared[1]) : null;
  });
}

/** An ORIGIN with fewer bases than its LOCUS line declares lost some on the way. */
function checkDeclaredLength(file: string, record: ParsedRecord, index: number, declared: number | null | undefined): ParsedRecord {
  if (typeof declared === 'number' && record.sequence.length < declared) {
    throw new ApiError(
      'invalid_request',
      `${file}: record ${index + 1} (${record.name}): the ORIGIN ends early (it holds ${count(record.sequence.length)} of the ${count(declared)} bp its LOCUS line declares).`,
    );
  }
  return record;
}

/** A SnapGene file is typed blocks (type: 1 byte, length: 4 bytes big-endian, data); one cut short is refused. */
function checkSnapgeneBlocks(file: string, bytes: Buffer): void {
  let offset = 0;
  let dna = false;
  while (offset < bytes.length) {
    if (offset + 5 > bytes.length) throw new ApiError('invalid_request', `${file}: truncated (it ends inside a block header).`);
    const type = bytes.readUInt8(offset);
    const declared = bytes.readUInt32BE(offset + 1);
    const present = bytes.length - offset - 5;
    if (declared > present) {
      throw new ApiError('invalid_request', `${file}: truncated (the ${type === 0 ? 'DNA' : `type ${type}`} block declares ${count(declared)} bytes, ${count(present)} are present).`);
    }
    if (type === 0) dna = true;
    offset += 5 + declared;
  }
  if (!dna) throw new ApiError('invalid_request', `${file}: has no DNA block (not a DNA construct, or truncated).`);
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
  let declared: (number | null)[] = [];
  if (format === 'snapgene') {
    if (!bytes.subarray(0, SNAPGENE_MAGIC.length).equals(SNAPGENE_MAGIC)) throw new ApiError('invalid_request', `${file}: not a SnapGene file (no SnapGene header).`);
    checkSnapgeneBlocks(file, bytes);
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
    if (format === 'genbank') declared = checkGenbankRecords(file, text);
    try {
      // Its .d.ts reads a JSDoc `[string]` as a tuple; it takes the file's text. primer_bind
      // features stay features (bio-parsers would move them out to a separate list).
      results = (format === 'fasta' ? fastaToJson(text as unknown as [string], {}) : genbankToJson(text, { primersAsFeatures: true })) as TgResult[];
    } catch (err) {
      throw new ApiError('invalid_request', `${file}: not a readable ${format === 'fasta' ? 'FASTA' : 'GenBank'} file (${(err as Error).message}).`);
    }
  }
  if (results.length === 0) throw new ApiError('invalid_request', `${file}: no sequence records.`);
  return { format, records: results.map((r, i) => checkDeclaredLength(file, toRecord(file, format, r, i), i, declared[i])) };
}
