import { editDistance, prepareQuery, type PreparedQuery } from './editDistance';
import { encodeBases, reverseComplement } from './nucleotides';

const K = 10;
const KMER_MASK = (1 << (2 * K)) - 1;
/** How much of a read's start is looked at to guess its orientation. */
const PROBE = 400;
const TWO_BIT = new Int8Array(16).fill(-1);
TWO_BIT[1] = 0;
TWO_BIT[2] = 1;
TWO_BIT[4] = 2;
TWO_BIT[8] = 3;

/** q of the q-gram bound on the second strand: short enough that a random read shares few. */
const Q = 8;

/** A reference ready for distances on both strands. */
export interface StrandedReference {
  length: number;
  forward: PreparedQuery;
  reverse: PreparedQuery;
  forwardKmers: Uint8Array;
  reverseKmers: Uint8Array;
  forwardQgrams: Uint8Array;
  reverseQgrams: Uint8Array;
}

/** A bitmap of the sequence's k-mers (4^k bits). */
function kmerSet(codes: Uint8Array, k: number): Uint8Array {
  const bits = new Uint8Array(Math.max(1, (1 << (2 * k)) >>> 3));
  const mask = (1 << (2 * k)) - 1;
  let kmer = 0;
  let valid = 0;
  for (let i = 0; i < codes.length; i++) {
    const b = TWO_BIT[codes[i]!]!;
    if (b < 0) {
      valid = 0;
      continue;
    }
    kmer = ((kmer << 2) | b) & mask;
    if (++valid >= k) bits[kmer >>> 3]! |= 1 << (kmer & 7);
  }
  return bits;
}

/**
 * A lower bound of the edit distance between the read and the sequence of `qgrams` (the q-gram
 * lemma): each edit touches at most q of the read's q-grams, and an untouched q-gram occurs in the
 * other sequence. Positions whose q-gram holds an N count as shared, which keeps the bound valid.
 */
function qgramBound(qgrams: Uint8Array, codes: Uint8Array, from: number, to: number): number {
  const mask = (1 << (2 * Q)) - 1;
  let kmer = 0;
  let valid = 0;
  let absent = 0;
  for (let i = from; i < to; i++) {
    const b = TWO_BIT[codes[i]!]!;
    if (b < 0) {
      valid = 0;
      continue;
    }
    kmer = ((kmer << 2) | b) & mask;
    if (++valid >= Q && !(qgrams[kmer >>> 3]! & (1 << (kmer & 7)))) absent += 1;
  }
  return Math.ceil(absent / Q);
}

/** The fraction of the read's first 10-mers found in each bitmap (forward, reverse). */
function shared(ref: StrandedReference, codes: Uint8Array, from: number, to: number): [number, number] {
  const fwd = ref.forwardKmers;
  const rev = ref.reverseKmers;
  let kmer = 0;
  let valid = 0;
  let all = 0;
  let f = 0;
  let r = 0;
  const end = Math.min(to, from + PROBE);
  for (let i = from; i < end; i++) {
    const b = TWO_BIT[codes[i]!]!;
    if (b < 0) {
      valid = 0;
      continue;
    }
    kmer = ((kmer << 2) | b) & KMER_MASK;
    if (++valid < K) continue;
    all += 1;
    const byte = kmer >>> 3;
    const bit = 1 << (kmer & 7);
    if (fwd[byte]! & bit) f += 1;
    if (rev[byte]! & bit) r += 1;
  }
  return all === 0 ? [0, 0] : [f / all, r / all];
}

/**
 * Where to start the band: a 10-mer survives an error rate e with probability about (1−e)^10, so
 * the shared fraction h estimates e = 1 − h^(1/10), and the distance about e·length. Starting
 * near it (with a margin) saves most of the band doublings; a wrong guess only costs time.
 */
function firstBand(shared: number, length: number): number {
  const rate = 1 - shared ** 0.1;
  return Math.max(32, Math.ceil(1.15 * rate * length) + 16);
}

export function strandedReference(seq: string): StrandedReference {
  const codes = encodeBases(seq).codes;
  const rc = reverseComplement(codes);
  return {
    length: codes.length,
    forward: prepareQuery(codes),
    reverse: prepareQuery(rc),
    forwardKmers: kmerSet(codes, K),
    reverseKmers: kmerSet(rc, K),
    forwardQgrams: kmerSet(codes, Q),
    reverseQgrams: kmerSet(rc, Q),
  };
}

/**
 * The read's edit distance to the reference in the read's orientation: the smaller of the
 * distances to the reference and to its reverse complement ('+' on a tie). The strand that shares
 * more 10-mers with the read's start is measured first, from a band sized by that share; the other
 * one is skipped when the q-gram bound proves it larger, else measured only up to that distance.
 */
export function strandDistance(ref: StrandedReference, read: Uint8Array, from: number, to: number): { ed: number; reverse: boolean } {
  const [forwardShared, reverseShared] = shared(ref, read, from, to);
  const start = firstBand(Math.max(forwardShared, reverseShared), Math.max(ref.length, to - from));
  if (reverseShared > forwardShared) {
    const rev = editDistance(ref.reverse, read, from, to, Infinity, start);
    const fwd = qgramBound(ref.forwardQgrams, read, from, to) > rev ? -1 : editDistance(ref.forward, read, from, to, rev);
    return fwd >= 0 ? { ed: fwd, reverse: false } : { ed: rev, reverse: true };
  }
  const fwd = editDistance(ref.forward, read, from, to, Infinity, start);
  const rev = fwd > 0 && qgramBound(ref.reverseQgrams, read, from, to) < fwd ? editDistance(ref.reverse, read, from, to, fwd - 1) : -1;
  return rev >= 0 ? { ed: rev, reverse: true } : { ed: fwd, reverse: false };
}
