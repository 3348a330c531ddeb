import { bandKernel } from './bandKernel';

/**
 * Global (Needleman–Wunsch) edit distance — plain Levenshtein, the value edlib reports with
 * mode="NW" — computed with Myers' bit-vector algorithm in Hyyrö's block form, restricted to
 * Ukkonen's band for a bound k, with k doubled until the distance fits (as edlib does).
 *
 * The query (the side split into 64-bit blocks) is the reference, so its match masks are built once
 * per reference and strand; the read is the target, walked one base per column.
 *
 * Why it is exact: cells outside the band start from values that can only be too high (a fresh block
 * takes "+1 per row" below the block above it, a band's top edge takes "+1 per column"), so every
 * computed cell is ≥ its true value; and every cell of an optimal path of cost ≤ k lies in the band,
 * so along that path the computed values are the true ones. A result ≤ k is therefore exact, and a
 * column whose every cell is already > k proves the distance is > k.
 */

const W = 64;

const kernel = bandKernel();
let bytes = new Uint8Array(kernel.memory.buffer);
let ints = new Int32Array(kernel.memory.buffer);
let top = 0;

/**
 * Bytes of the kernel's memory for as long as this thread runs (8-aligned, never freed): a
 * worker prepares its few references once, and the scratch space only grows to the longest read.
 */
function reserve(size: number): number {
  const at = (top + 7) & ~7;
  top = at + size;
  const missing = top - kernel.memory.buffer.byteLength;
  if (missing > 0) {
    kernel.memory.grow(Math.ceil(missing / 65536));
    bytes = new Uint8Array(kernel.memory.buffer);
    ints = new Int32Array(kernel.memory.buffer);
  }
  return at;
}

export interface PreparedQuery {
  readonly length: number;
  readonly blocks: number;
  /**
   * Where the match masks start in the kernel's memory: bit i of the 64-bit word code·blocks + b
   * is set when query base 64·b + i has that code.
   */
  readonly peq: number;
}

/** Query bases as 4-bit codes (0-15). */
export function prepareQuery(codes: Uint8Array): PreparedQuery {
  const length = codes.length;
  const blocks = Math.max(1, Math.ceil(length / W));
  const peq = reserve(16 * blocks * 8);
  for (let i = 0; i < length; i++) bytes[peq + ((codes[i] ?? 0) * blocks + (i >>> 6)) * 8 + ((i & 63) >>> 3)]! |= 1 << (i & 7);
  return { length, blocks, peq };
}

/** The kernel's working space: the target's codes, and Pv, Mv, score for every block. */
const scratch = { bases: 0, blocks: 0, target: 0, pv: 0, mv: 0, score: 0 };

function loadTarget(target: Uint8Array, from: number, to: number): void {
  if (to - from > scratch.bases) {
    scratch.bases = 2 * (to - from);
    scratch.target = reserve(scratch.bases);
  }
  bytes.set(target.subarray(from, to), scratch.target);
}

/**
 * The edit distance between the query and target[from, to) when it is ≤ k, else -1.
 *
 * The band follows edlib's: after each column, blocks at either edge are dropped when no cell in
 * them can be on a path of cost ≤ k (a lower bound of the cell's value plus the distance left to
 * the end diagonal exceeds k), and a block is added below when the cell above it could still lead
 * into it. The bounds use the computed scores, which are exact on any path of cost ≤ k.
 */
export function boundedDistance(query: PreparedQuery, target: Uint8Array, from: number, to: number, k: number): number {
  loadTarget(target, from, to);
  return band(query, to - from, k);
}

/** boundedDistance on the target already in scratch.target. */
function band(query: PreparedQuery, n: number, k: number): number {
  const m = query.length;
  if (m === 0 || n === 0) return Math.max(m, n) <= k ? Math.max(m, n) : -1;
  const diff = m - n;
  if ((diff < 0 ? -diff : diff) > k) return -1;
  // Ukkonen's static band: row i (1-based) can matter at column j only when i - j <= dHi.
  const dHi = Math.max(0, diff) + ((k - (diff < 0 ? -diff : diff)) >> 1);
  const { blocks } = query;
  if (blocks > scratch.blocks) {
    scratch.blocks = blocks;
    scratch.pv = reserve(8 * blocks);
    scratch.mv = reserve(8 * blocks);
    scratch.score = reserve(4 * blocks);
  }
  const last = blocks - 1;
  const lb = Math.min(last, dHi >>> 6);
  bytes.fill(0xff, scratch.pv, scratch.pv + 8 * (lb + 1));
  bytes.fill(0, scratch.mv, scratch.mv + 8 * (lb + 1));
  const score = scratch.score >> 2;
  for (let b = 0; b <= lb; b++) ints[score + b] = (b === 0 ? 0 : ints[score + b - 1]!) + (b === last ? m - W * last : W);
  return kernel.band(query.peq, blocks, m, scratch.target, n, k, dHi, lb, scratch.pv, scratch.mv, scratch.score);
}

/**
 * The edit distance, exact: bands of k = start, 2·start, … until one holds it. With `limit`, gives
 * up once k would exceed it and returns -1 (the distance is then > limit).
 */
export function editDistance(query: PreparedQuery, target: Uint8Array, from: number, to: number, limit = Infinity, start = 64): number {
  const most = Math.max(query.length, to - from);
  const cap = Math.min(limit, most);
  let k = Math.min(Math.max(start, Math.abs(query.length - (to - from))), cap);
  loadTarget(target, from, to);
  for (;;) {
    const d = band(query, to - from, k);
    if (d >= 0 || k >= cap) return d;
    k = Math.min(k * 2, cap);
  }
}
