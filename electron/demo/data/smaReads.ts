/** Nanopore-like reads of known targets (mutated, either strand) written as unaligned BAM, for the SMA tests and the demo. */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

export { prng as rng } from './random';

export function randomSeq(rand: () => number, n: number, alphabet = 'ACGT'): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
  return s;
}

/** Substitutions, deletions and insertions at `rate` in total. */
export function mutate(rand: () => number, seq: string, rate: number): string {
  let out = '';
  for (const c of seq) {
    const r = rand();
    if (r < rate / 3) continue;
    if (r < (2 * rate) / 3) out += 'ACGT'[Math.floor(rand() * 4)];
    else if (r < rate) out += c + 'ACGT'[Math.floor(rand() * 4)];
    else out += c;
  }
  return out;
}

const COMPLEMENT: Record<string, string> = { A: 'T', C: 'G', G: 'C', T: 'A', N: 'N' };
export function revcomp(seq: string): string {
  let out = '';
  for (let i = seq.length - 1; i >= 0; i--) out += COMPLEMENT[seq[i]!] ?? 'N';
  return out;
}

export interface SamRead {
  name: string;
  seq: string;
  /** Phred values; omitted = qualities not stored ("*"). */
  qual?: number[];
  flag?: number;
  tags?: string[];
}

export function samLine(r: SamRead): string {
  const qual = r.qual === undefined ? '*' : r.qual.map((q) => String.fromCharCode(q + 33)).join('');
  return [r.name, String(r.flag ?? 4), '*', '0', '0', '*', '*', '0', '0', r.seq === '' ? '*' : r.seq, r.seq === '' ? '*' : qual, ...(r.tags ?? [])].join('\t');
}

/** An unaligned BAM written by samtools from SAM text. */
export function writeBam(file: string, reads: readonly SamRead[]): void {
  const sam = `${file}.sam`;
  writeFileSync(sam, ['@HD\tVN:1.6\tSO:unknown', ...reads.map(samLine)].join('\n') + '\n');
  execFileSync('samtools', ['view', '-b', '-o', file, sam]);
}

export function writeFasta(file: string, records: ReadonlyArray<readonly [string, string]>): void {
  writeFileSync(file, records.map(([name, seq]) => `>${name} test target\n${seq.replace(/(.{70})/g, '$1\n')}\n`).join(''));
}
