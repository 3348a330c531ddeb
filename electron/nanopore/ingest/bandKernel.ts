import { I32, I64, Locals, block, br, brIf, encodeModule, i32Const, i32Load, i32Load8U, i32Store, i64Const, i64Load, i64Store, loop, op, when, type Ins } from './wasmEncoder';

/**
 * The banded block loop of editDistance.ts as WebAssembly, on 64-bit words (JS bitwise operators
 * stop at 32 bits; wasm's i64 halves the blocks, as edlib's C does). It is generated here, at load
 * time, so the same code runs under vitest, the CLI, its worker threads and the packaged app with
 * no file to find. The algorithm and why it is exact: see editDistance.ts.
 *
 * band(peq, blocks, m, target, n, k, dHi, lb, Pv, Mv, score) → distance ≤ k, else -1. Addresses
 * are byte offsets into the exported memory: peq holds 16·blocks little-endian words (code-major),
 * target n bytes of codes, Pv/Mv blocks words, score blocks i32. The caller has handled the empty
 * and |m − n| > k cases and set blocks 0..lb of Pv (all ones), Mv (zero) and score (the first column).
 */
const L = new Locals(
  { peq: I32, blocks: I32, m: I32, t: I32, n: I32, k: I32, dHi: I32, lb: I32, pv: I32, mv: I32, sc: I32 },
  {
    last: I32, lastRows: I32, diff: I32, stride: I32, fb: I32, j: I32, base: I32, b: I32, o: I32, hin: I32, s: I32, x: I32, y: I32, z: I32,
    lastBit: I64, pvv: I64, mvv: I64, match: I64, xv: I64, eq: I64, xh: I64, ph: I64, mh: I64, hinP: I64, hinM: I64, hoP: I64, hoM: I64, bit: I64,
  },
);
const { get, set } = L;

/** select(a, b, cond) → cond ? a : b, each operand an instruction list. */
const pick = (a: Ins, b: Ins, cond: Ins): Ins => [a, b, cond, op.select];
/** Address of score[b] for the i32 block index in local `b`. */
const scoreAt = (b: string): Ins => [get('sc'), get(b), i32Const(2), op.i32Shl, op.i32Add];
const notI64 = (x: Ins): Ins => [x, i64Const(-1n), op.i64Xor];

/**
 * lowerBound of editDistance.ts for block `b` at column j, left on the stack:
 * score[b] − bottom row + max(top, 2·top − j − diff, j + diff), top = 64·b + 1.
 */
const lowerBound = (b: string): Ins => [
  get(b), i32Const(6), op.i32Shl, i32Const(1), op.i32Add, set('x'),
  get('x'), i32Const(1), op.i32Shl, get('j'), op.i32Sub, get('diff'), op.i32Sub, set('y'),
  get('j'), get('diff'), op.i32Add, set('z'),
  pick(get('y'), get('z'), [get('y'), get('z'), op.i32GtS]), set('y'),
  pick(get('x'), get('y'), [get('x'), get('y'), op.i32GtS]), set('x'),
  scoreAt(b), i32Load,
  pick(get('m'), [get(b), i32Const(1), op.i32Add, i32Const(6), op.i32Shl], [get(b), get('last'), op.i32Eq]), op.i32Sub,
  get('x'), op.i32Add,
];

/** One column step of block b (Myers/Hyyrö), carrying the horizontal delta in hinP/hinM. */
const advanceBlock: Ins = [
  get('b'), i32Const(3), op.i32Shl, set('o'),
  get('pv'), get('o'), op.i32Add, i64Load, set('pvv'),
  get('mv'), get('o'), op.i32Add, i64Load, set('mvv'),
  get('base'), get('o'), op.i32Add, i64Load, set('match'),
  get('match'), get('mvv'), op.i64Or, set('xv'),
  get('match'), get('hinM'), op.i64Or, set('eq'),
  get('eq'), get('pvv'), op.i64And, get('pvv'), op.i64Add, get('pvv'), op.i64Xor, get('eq'), op.i64Or, set('xh'),
  get('mvv'), notI64([get('xh'), get('pvv'), op.i64Or]), op.i64Or, set('ph'),
  get('pvv'), get('xh'), op.i64And, set('mh'),
  pick(get('lastBit'), i64Const(63n), [get('b'), get('last'), op.i32Eq]), set('bit'),
  get('ph'), get('bit'), op.i64ShrU, i64Const(1n), op.i64And, set('hoP'),
  get('mh'), get('bit'), op.i64ShrU, i64Const(1n), op.i64And, set('hoM'),
  get('ph'), i64Const(1n), op.i64Shl, get('hinP'), op.i64Or, set('ph'),
  get('mh'), i64Const(1n), op.i64Shl, get('hinM'), op.i64Or, set('mh'),
  get('pv'), get('o'), op.i32Add, get('mh'), notI64([get('xv'), get('ph'), op.i64Or]), op.i64Or, i64Store,
  get('mv'), get('o'), op.i32Add, get('ph'), get('xv'), op.i64And, i64Store,
  scoreAt('b'), scoreAt('b'), i32Load, get('hoP'), op.i32WrapI64, op.i32Add, get('hoM'), op.i32WrapI64, op.i32Sub, i32Store,
  get('hoP'), set('hinP'),
  get('hoM'), set('hinM'),
];

/** Add block lb + 1 below when its top cell could be on a path of cost ≤ k; then go on with it. */
const growBlock: Ins = [
  get('hinP'), op.i32WrapI64, get('hinM'), op.i32WrapI64, op.i32Sub, set('hin'),
  get('lb'), get('last'), op.i32LtS,
  get('lb'), i32Const(1), op.i32Add, get('j'), get('dHi'), op.i32Add, i32Const(1), op.i32Sub, i32Const(6), op.i32ShrU, op.i32LeS,
  op.i32And,
  when([
    scoreAt('lb'), i32Load, set('s'),
    get('s'), pick(get('hin'), i32Const(0), [get('hin'), i32Const(0), op.i32GtS]), op.i32Sub, set('x'),
    get('lb'), i32Const(1), op.i32Add, i32Const(6), op.i32Shl, i32Const(1), op.i32Add, get('j'), op.i32Sub, get('diff'), op.i32Sub, set('y'),
    get('x'), pick(get('y'), i32Const(0), [get('y'), i32Const(0), op.i32GtS]), op.i32Add, get('k'), op.i32LeS,
    when([
      get('lb'), i32Const(1), op.i32Add, set('lb'),
      get('lb'), i32Const(3), op.i32Shl, set('o'),
      get('pv'), get('o'), op.i32Add, i64Const(-1n), i64Store,
      get('mv'), get('o'), op.i32Add, i64Const(0n), i64Store,
      scoreAt('lb'), get('s'), get('hin'), op.i32Sub, pick(get('lastRows'), i32Const(64), [get('lb'), get('last'), op.i32Eq]), op.i32Add, i32Store,
      br('blocks'),
    ]),
  ]),
];

const body: Ins[] = [
  get('blocks'), i32Const(1), op.i32Sub, set('last'),
  get('m'), get('last'), i32Const(6), op.i32Shl, op.i32Sub, set('lastRows'),
  get('lastRows'), i32Const(1), op.i32Sub, op.i64ExtendI32U, set('lastBit'),
  get('m'), get('n'), op.i32Sub, set('diff'),
  get('blocks'), i32Const(3), op.i32Shl, set('stride'),
  i32Const(1), set('j'),
  block('fail',
    loop('cols',
      get('t'), get('j'), op.i32Add, i32Const(1), op.i32Sub, i32Load8U, get('stride'), op.i32Mul, get('peq'), op.i32Add, set('base'),
      i64Const(1n), set('hinP'),
      i64Const(0n), set('hinM'),
      get('fb'), set('b'),
      loop('blocks',
        advanceBlock,
        get('b'), i32Const(1), op.i32Add, set('b'),
        get('b'), get('lb'), op.i32LeS, brIf('blocks'),
        growBlock,
      ),
      // Drop blocks at either edge that no path of cost ≤ k can cross.
      block('bottom', loop('bottomNext',
        get('lb'), get('fb'), op.i32LtS, brIf('bottom'),
        lowerBound('lb'), get('k'), op.i32LeS, brIf('bottom'),
        get('lb'), i32Const(1), op.i32Sub, set('lb'),
        br('bottomNext'),
      )),
      block('top', loop('topNext',
        get('fb'), get('lb'), op.i32GtS, brIf('top'),
        lowerBound('fb'), get('k'), op.i32LeS, brIf('top'),
        get('fb'), i32Const(1), op.i32Add, set('fb'),
        br('topNext'),
      )),
      get('fb'), get('lb'), op.i32GtS, brIf('fail'),
      get('j'), i32Const(1), op.i32Add, set('j'),
      get('j'), get('n'), op.i32LeS, brIf('cols'),
    ),
    get('lb'), get('last'), op.i32Ne, brIf('fail'),
    scoreAt('last'), i32Load, set('s'),
    pick(get('s'), i32Const(-1), [get('s'), get('k'), op.i32LeS]), op.return,
  ),
  i32Const(-1),
];

export interface BandKernel {
  memory: WebAssembly.Memory;
  band: (peq: number, blocks: number, m: number, t: number, n: number, k: number, dHi: number, lb: number, pv: number, mv: number, sc: number) => number;
}

export function bandKernel(): BandKernel {
  const module = new WebAssembly.Module(encodeModule([{ name: 'band', locals: L, result: I32, body }]));
  return new WebAssembly.Instance(module).exports as unknown as BandKernel;
}
