/**
 * Phred quality ↔ error probability. Mean qualities are probability-averaged: the mean of the
 * error probabilities 10^(−Q/10) turned back into a Q, never the mean of the Q values.
 */

/** 10^(−Q/10) for a raw Phred value 0–255 (BAM stores Q itself). */
export const ERROR_BY_PHRED: Float64Array = (() => {
  const t = new Float64Array(256);
  for (let q = 0; q < 256; q++) t[q] = 10 ** (-q / 10);
  return t;
})();

/**
 * 10^(−Q/10) for a FASTQ quality byte (Phred+33). Bytes outside '!'..'~' are NaN, so one bad
 * character makes the read's sum NaN: checked once per read instead of once per base.
 */
export const ERROR_BY_FASTQ_BYTE: Float64Array = (() => {
  const t = new Float64Array(256).fill(Number.NaN);
  for (let b = 33; b <= 126; b++) t[b] = ERROR_BY_PHRED[b - 33] as number;
  return t;
})();

/** −10·log10(mean error probability) of `bases` bases whose error probabilities sum to `errorSum`; 0 for no bases. */
export function meanQ(errorSum: number, bases: number): number {
  if (bases <= 0) return 0;
  return -10 * Math.log10(errorSum / bases);
}
