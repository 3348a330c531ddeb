import { strandDistance, strandedReference, type StrandedReference } from './strand';

/**
 * A batch of reads for the distance workers, in transferable arrays: the bases of every read
 * end to end (4-bit codes, one a byte), where each read starts, and the index of its reference.
 */
export interface DistanceBatch {
  codes: Uint8Array<ArrayBuffer>;
  /** starts[i]..starts[i+1] are read i's bases (length reads + 1). */
  starts: Int32Array<ArrayBuffer>;
  refs: Int32Array<ArrayBuffer>;
}

export interface DistanceResult {
  ed: Int32Array<ArrayBuffer>;
  /** 1 when the read matched the reverse complement. */
  reverse: Uint8Array<ArrayBuffer>;
}

export function prepareReferences(seqs: readonly string[]): StrandedReference[] {
  return seqs.map(strandedReference);
}

export function computeBatch(refs: readonly StrandedReference[], batch: DistanceBatch): DistanceResult {
  const n = batch.refs.length;
  const ed = new Int32Array(n);
  const reverse = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const r = strandDistance(refs[batch.refs[i]!]!, batch.codes, batch.starts[i]!, batch.starts[i + 1]!);
    ed[i] = r.ed;
    reverse[i] = r.reverse ? 1 : 0;
  }
  return { ed, reverse };
}
