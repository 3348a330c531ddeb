/**
 * Bases as BAM's 4-bit codes ("=ACMGRSVTWYHKDBN"): the read sequences arrive packed this way, and
 * the references are encoded the same, so comparing two bases is comparing two small numbers.
 */
export const BAM_BASES = '=ACMGRSVTWYHKDBN';

const CODE_OF = new Uint8Array(256).fill(255);
for (let i = 0; i < BAM_BASES.length; i++) CODE_OF[BAM_BASES.charCodeAt(i)] = i;

/** A=1 C=2 G=4 T=8 N=15 ↔ T A C G N. */
const COMPLEMENT = new Uint8Array(16);
for (let i = 0; i < 16; i++) COMPLEMENT[i] = i;
COMPLEMENT[1] = 8;
COMPLEMENT[8] = 1;
COMPLEMENT[2] = 4;
COMPLEMENT[4] = 2;

/** An upper-case ACGTN string as codes; `bad` gets the index of the first other letter (else -1). */
export function encodeBases(seq: string): { codes: Uint8Array; bad: number } {
  const codes = new Uint8Array(seq.length);
  for (let i = 0; i < seq.length; i++) {
    const code = CODE_OF[seq.charCodeAt(i)] ?? 255;
    if (code !== 1 && code !== 2 && code !== 4 && code !== 8 && code !== 15) return { codes, bad: i };
    codes[i] = code;
  }
  return { codes, bad: -1 };
}

export function reverseComplement(codes: Uint8Array): Uint8Array {
  const n = codes.length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[n - 1 - i] = COMPLEMENT[codes[i] ?? 0] ?? 0;
  return out;
}
