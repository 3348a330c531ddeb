/**
 * The per-read numbers of the SMA-seq ingest (seed 000), as pure functions.
 */

/** 10^(−Q/10) for every Phred value a BAM byte can hold. */
const ERROR_PROB = Float64Array.from({ length: 256 }, (_, q) => 10 ** (-q / 10));

/**
 * q_bc: −10·log10 of the mean error probability over all bases (probability-averaged, not the mean
 * of the Phred values); 0 for an empty read.
 */
export function qBc(qual: Uint8Array): number {
  const n = qual.length;
  if (n === 0) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += ERROR_PROB[qual[i]!]!;
  return phred(sum / n);
}

/**
 * q_ld: −10·log10(min(max(1/L², ed/L), 1)) with L the reference length: a perfect read scores
 * 20·log10(L), a read as long in edits as the reference scores 0.
 */
export function qLd(ed: number, refLength: number): number {
  const rate = Math.min(Math.max(1 / (refLength * refLength), ed / refLength), 1);
  return phred(rate);
}

/** −10·log10(p), with p = 1 giving 0 (not −0). */
function phred(p: number): number {
  return p === 1 ? 0 : -10 * Math.log10(p);
}

/** The index of the first reference (in FASTA order) whose length ± tolerance holds readlen, or -1. */
export function assignReference(readLength: number, refLengths: readonly number[], tolerance: number): number {
  for (let i = 0; i < refLengths.length; i++) {
    const L = refLengths[i]!;
    if (readLength >= L - tolerance && readLength <= L + tolerance) return i;
  }
  return -1;
}
