/**
 * Global (Needleman–Wunsch) edit distance — plain Levenshtein, the value edlib reports with
 * mode="NW" — computed with Myers' bit-vector algorithm in Hyyrö's block form, restricted to
 * Ukkonen's band for a bound k, with k doubled until the distance fits (as edlib does).
 *
 * The query (the side split into 32-bit blocks) is the reference, so its match masks are built once
 * per reference and strand; the read is the target, walked one base per column.
 *
 * Why it is exact: cells outside the band start from values that can only be too high (a fresh block
 * takes "+1 per row" below the block above it, a band's top edge takes "+1 per column"), so every
 * computed cell is ≥ its true value; and every cell of an optimal path of cost ≤ k lies in the band,
 * so along that path the computed values are the true ones. A result ≤ k is therefore exact, and a
 * column whose every cell is already > k proves the distance is > k.
 */

const W = 32;

export interface PreparedQuery {
  readonly length: number;
  readonly blocks: number;
  /** Match masks: bit i of peq[code * blocks + b] is set when query base 32·b + i has that code. */
  readonly peq: Int32Array;
}

/** Query bases as 4-bit codes (0-15). */
export function prepareQuery(codes: Uint8Array): PreparedQuery {
  const length = codes.length;
  const blocks = Math.max(1, Math.ceil(length / W));
  const peq = new Int32Array(16 * blocks);
  for (let i = 0; i < length; i++) peq[(codes[i] ?? 0) * blocks + (i >>> 5)]! |= 1 << (i & 31);
  return { length, blocks, peq };
}

let pvs = new Int32Array(0);
let mvs = new Int32Array(0);
let scores = new Int32Array(0);

function scratch(blocks: number): void {
  if (pvs.length >= blocks) return;
  pvs = new Int32Array(blocks * 2);
  mvs = new Int32Array(blocks * 2);
  scores = new Int32Array(blocks * 2);
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
  const m = query.length;
  const n = to - from;
  if (m === 0 || n === 0) return Math.max(m, n) <= k ? Math.max(m, n) : -1;
  const diff = m - n;
  if ((diff < 0 ? -diff : diff) > k) return -1;
  // Ukkonen's static band: row i (1-based) can matter at column j only when i - j <= dHi.
  const dHi = Math.max(0, diff) + ((k - (diff < 0 ? -diff : diff)) >> 1);

  const { blocks, peq } = query;
  const last = blocks - 1;
  const lastRows = m - W * last;
  scratch(blocks);
  const Pv = pvs;
  const Mv = mvs;
  const score = scores;

  let fb = 0;
  let lb = Math.min(last, dHi >>> 5);
  for (let b = 0; b <= lb; b++) {
    Pv[b] = -1;
    Mv[b] = 0;
    score[b] = (b === 0 ? 0 : score[b - 1]!) + (b === last ? lastRows : W);
  }

  for (let j = 1; j <= n; j++) {
    const base = target[from + j - 1]! * blocks;
    // advance() inlined and branch-free (the horizontal delta as two bits): this loop is where the
    // ingest spends its time.
    let hinP = 1;
    let hinM = 0;
    for (let b = fb; b <= lb; b++) {
      const pv = Pv[b]!;
      const mv = Mv[b]!;
      const match = peq[base + b]!;
      const xv = match | mv;
      const eq = match | hinM;
      const xh = ((((eq & pv) + pv) | 0) ^ pv) | eq;
      let ph = mv | ~(xh | pv);
      let mh = pv & xh;
      const bit = b === last ? lastRows - 1 : 31;
      const hoP = (ph >>> bit) & 1;
      const hoM = (mh >>> bit) & 1;
      ph = (ph << 1) | hinP;
      mh = (mh << 1) | hinM;
      Pv[b] = mh | ~(xv | ph);
      Mv[b] = ph & xv;
      score[b] = score[b]! + hoP - hoM;
      hinP = hoP;
      hinM = hoM;
    }
    let hin = hinP - hinM;

    // Grow downwards while the bottom cell (before or after this column) could lead below.
    while (lb < last && lb + 1 <= (j + dHi - 1) >>> 5) {
      const below = W * (lb + 1) + 1;
      const entry = Math.min(score[lb]!, score[lb]! - hin);
      if (entry + Math.max(0, below - j - diff) > k) break;
      lb += 1;
      Pv[lb] = -1;
      Mv[lb] = 0;
      score[lb] = score[lb - 1]! - hin + (lb === last ? lastRows : W);
      hin = advance(Pv, Mv, score, peq[base + lb]!, lb, lb === last ? lastRows - 1 : 31, hin);
    }
    while (lb >= fb && lowerBound(score[lb]!, lb, last, m, j, diff) > k) lb -= 1;
    while (fb <= lb && lowerBound(score[fb]!, fb, last, m, j, diff) > k) fb += 1;
    if (fb > lb) return -1;
  }
  if (lb !== last) return -1;
  const d = score[last]!;
  return d <= k ? d : -1;
}

/** One column step of one block (Myers/Hyyrö); returns the horizontal delta out of its bottom row. */
function advance(Pv: Int32Array, Mv: Int32Array, score: Int32Array, peqBits: number, b: number, bit: number, hin: number): number {
  let eq = peqBits;
  const pv = Pv[b]!;
  const mv = Mv[b]!;
  const xv = eq | mv;
  if (hin < 0) eq |= 1;
  const xh = ((((eq & pv) + pv) | 0) ^ pv) | eq;
  let ph = mv | ~(xh | pv);
  let mh = pv & xh;
  const hout = (ph >>> bit) & 1 ? 1 : (mh >>> bit) & 1 ? -1 : 0;
  ph <<= 1;
  mh <<= 1;
  if (hin < 0) mh |= 1;
  else if (hin > 0) ph |= 1;
  Pv[b] = mh | ~(xv | ph);
  Mv[b] = ph & xv;
  score[b] = score[b]! + hout;
  return hout;
}

/**
 * A lower bound, over the rows of block b at column j, of (cell value + distance from the cell's
 * diagonal to the end cell's). Rows of a block differ by at most one from the next.
 */
function lowerBound(bottomScore: number, b: number, last: number, m: number, j: number, diff: number): number {
  const top = W * b + 1;
  const bottom = b === last ? m : W * (b + 1);
  return bottomScore - bottom + Math.max(top, 2 * top - j - diff, j + diff);
}

/**
 * The edit distance, exact: bands of k = start, 2·start, … until one holds it. With `limit`, gives
 * up once k would exceed it and returns -1 (the distance is then > limit).
 */
export function editDistance(query: PreparedQuery, target: Uint8Array, from: number, to: number, limit = Infinity, start = 64): number {
  const most = Math.max(query.length, to - from);
  const cap = Math.min(limit, most);
  let k = Math.min(Math.max(start, Math.abs(query.length - (to - from))), cap);
  for (;;) {
    const d = boundedDistance(query, target, from, to, k);
    if (d >= 0 || k >= cap) return d;
    k = Math.min(k * 2, cap);
  }
}
