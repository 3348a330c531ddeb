import { InputError, LINE_LIMITS, readSmallTextFile } from '../../pipelines/qslam/fastq';
import { encodeBases } from './nucleotides';

/** One target of the ingest: a FASTA record, upper-cased, in FASTA order across the files. */
export interface Reference {
  name: string;
  file: string;
  seq: string;
}

/**
 * Every record of every FASTA file, in order. References are plasmids and amplicons (kilobases),
 * so a file is read whole (up to the FASTA line limit: a chromosome is not an SMA target). Letters other than ACGTN (any case) are refused with file, record and
 * position; a name given twice is refused too (ref_id must say which target a read matched).
 */
export function readReferences(files: readonly string[]): Reference[] {
  const refs: Reference[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    let text: string;
    try {
      text = readSmallTextFile(file, LINE_LIMITS.fasta, 'a reference FASTA');
    } catch (err) {
      if (err instanceof InputError) throw err;
      throw new InputError(`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    const before = refs.length;
    let name: string | null = null;
    let parts: string[] = [];
    let lineNo = 0;
    const finish = () => {
      if (name === null) return;
      const seq = parts.join('').toUpperCase();
      const bad = encodeBases(seq).bad;
      if (bad >= 0) throw new InputError(`${file}: record ${name}: letter ${JSON.stringify(seq[bad])} at position ${bad + 1} is not A, C, G, T or N`);
      if (seq.length === 0) throw new InputError(`${file}: record ${name} has no sequence`);
      const other = seen.get(name);
      if (other !== undefined) throw new InputError(`${file}: record ${name} is also in ${other}: reference names must be unique`);
      seen.set(name, file);
      refs.push({ name, file, seq });
    };
    for (const raw of text.split('\n')) {
      lineNo += 1;
      const line = raw.trimEnd();
      if (line.startsWith('>')) {
        finish();
        name = line.slice(1).trim().split(/\s+/)[0] ?? '';
        if (name === '') throw new InputError(`${file}: line ${lineNo}: a FASTA header without a name`);
        parts = [];
      } else if (line !== '') {
        if (name === null) throw new InputError(`${file}: line ${lineNo}: sequence before the first ">" header (not FASTA)`);
        parts.push(line.replace(/\s+/g, ''));
      }
    }
    finish();
    if (refs.length === before) throw new InputError(`${file}: no FASTA records`);
  }
  return refs;
}
