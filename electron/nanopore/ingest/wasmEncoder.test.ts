import { describe, expect, it } from 'vitest';
import { I32, I64, Locals, block, br, brIf, encodeModule, i32Const, i32Load, i32Store, i64Const, loop, op, when, type Ins } from './wasmEncoder';

function instantiate(locals: Locals, body: Ins[]): { memory: WebAssembly.Memory; f: (...args: number[]) => number } {
  const module = new WebAssembly.Module(encodeModule([{ name: 'f', locals, result: I32, body }]));
  return new WebAssembly.Instance(module).exports as unknown as { memory: WebAssembly.Memory; f: (...args: number[]) => number };
}

describe('wasm encoder', () => {
  it('branches to the named block: 1 − 2 + 3 − … ± n with a loop, a block and an if/else', () => {
    const L = new Locals({ n: I32 }, { i: I32, sum: I32 });
    const { get, set } = L;
    const { f } = instantiate(L, [
      block('done', loop('next',
        get('i'), get('n'), op.i32GeS, brIf('done'),
        get('i'), i32Const(1), op.i32Add, set('i'),
        get('i'), i32Const(1), op.i32And,
        when([get('sum'), get('i'), op.i32Add, set('sum')], [get('sum'), get('i'), op.i32Sub, set('sum')]),
        br('next'),
      )),
      get('sum'),
    ]);
    expect(f(10)).toBe(-5);
    expect(f(7)).toBe(4);
    expect(f(0)).toBe(0);
  });

  it('encodes constants of every size and reaches the exported memory', () => {
    const L = new Locals({ at: I32 }, { x: I64 });
    const { get, set } = L;
    const values = [0, -1, 63, 64, -64, -65, 8191, -8192, 2 ** 31 - 1, -(2 ** 31)];
    for (const v of values) {
      const { f } = instantiate(L, [i64Const(BigInt(v) - (1n << 40n)), set('x'), get('x'), i64Const(1n << 40n), op.i64Add, op.i32WrapI64]);
      expect(f(0)).toBe(v);
    }
    const { memory, f } = instantiate(L, [get('at'), i32Const(-123456789), i32Store, get('at'), i32Load]);
    expect(f(8)).toBe(-123456789);
    expect(new Int32Array(memory.buffer)[2]).toBe(-123456789);
  });

  it('refuses a branch to a block that does not enclose it', () => {
    const L = new Locals({}, {});
    expect(() => encodeModule([{ name: 'f', locals: L, result: I32, body: [block('a'), br('a'), i32Const(0)] }])).toThrow(/no enclosing block a/);
  });
});
