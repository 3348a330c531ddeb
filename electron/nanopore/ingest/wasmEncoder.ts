/**
 * A minimal WebAssembly binary encoder: one module with its own exported memory and exported
 * functions, bodies written as nested instruction lists. Branches name their target block, and the
 * encoder turns the name into the relative depth, so a body reads like structured code.
 * Only what the edit-distance kernel needs; see the spec's binary format (sections 5.x).
 */

export const I32 = 0x7f;
export const I64 = 0x7e;
type ValType = typeof I32 | typeof I64;

/** Opcodes without immediates. */
export const op = {
  select: 0x1b,
  i32Eqz: 0x45,
  i32Eq: 0x46,
  i32Ne: 0x47,
  i32LtS: 0x48,
  i32GtS: 0x4a,
  i32LeS: 0x4c,
  i32GeS: 0x4e,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32And: 0x71,
  i32Shl: 0x74,
  i32ShrS: 0x75,
  i32ShrU: 0x76,
  i64Add: 0x7c,
  i64And: 0x83,
  i64Or: 0x84,
  i64Xor: 0x85,
  i64Shl: 0x86,
  i64ShrU: 0x88,
  i32WrapI64: 0xa7,
  i64ExtendI32U: 0xad,
  return: 0x0f,
} as const;

export type Ins = number | Ins[] | Struct | Branch;
interface Struct {
  kind: 'block' | 'loop' | 'if';
  label: string;
  body: Ins[];
  orElse?: Ins[];
}
interface Branch {
  kind: 'br' | 'br_if';
  label: string;
}

export const block = (label: string, ...body: Ins[]): Struct => ({ kind: 'block', label, body });
export const loop = (label: string, ...body: Ins[]): Struct => ({ kind: 'loop', label, body });
/** `if` on the i32 on the stack; the label is for branches out of it. */
export const when = (body: Ins[], orElse?: Ins[]): Struct => ({ kind: 'if', label: '', body, ...(orElse ? { orElse } : {}) });
export const br = (label: string): Branch => ({ kind: 'br', label });
export const brIf = (label: string): Branch => ({ kind: 'br_if', label });

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = Number(n & 0x7fn);
    n >>= 7n;
    if ((n === 0n && !(byte & 0x40)) || (n === -1n && byte & 0x40)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

export const i32Const = (v: number): number[] => [0x41, ...sleb(BigInt(v))];
export const i64Const = (v: bigint): number[] => [0x42, ...sleb(v)];
/** Loads and stores of naturally aligned values at the address on the stack. */
export const i32Load = [0x28, 2, 0];
export const i64Load = [0x29, 3, 0];
export const i32Load8U = [0x2d, 0, 0];
export const i32Store = [0x36, 2, 0];
export const i64Store = [0x37, 3, 0];

/** A function's named locals: parameters first, then declared locals. */
export class Locals {
  private readonly index = new Map<string, number>();
  readonly params: ValType[] = [];
  readonly declared: ValType[] = [];

  constructor(params: Record<string, ValType>, locals: Record<string, ValType>) {
    for (const [name, type] of Object.entries(params)) this.add(name, type, this.params);
    for (const [name, type] of Object.entries(locals)) this.add(name, type, this.declared);
  }

  private add(name: string, type: ValType, list: ValType[]): void {
    this.index.set(name, this.index.size);
    list.push(type);
  }

  private at(name: string): number {
    const i = this.index.get(name);
    if (i === undefined) throw new Error(`wasm: no local ${name}`);
    return i;
  }

  get = (name: string): number[] => [0x20, ...uleb(this.at(name))];
  set = (name: string): number[] => [0x21, ...uleb(this.at(name))];
  tee = (name: string): number[] => [0x22, ...uleb(this.at(name))];
}

function encodeBody(ins: Ins, labels: string[], out: number[]): void {
  if (typeof ins === 'number') out.push(ins);
  else if (Array.isArray(ins)) for (const i of ins) encodeBody(i, labels, out);
  else if (!('body' in ins)) {
    const depth = labels.lastIndexOf(ins.label);
    if (depth < 0) throw new Error(`wasm: no enclosing block ${ins.label}`);
    out.push(ins.kind === 'br' ? 0x0c : 0x0d, ...uleb(labels.length - 1 - depth));
  } else {
    out.push({ block: 0x02, loop: 0x03, if: 0x04 }[ins.kind], 0x40);
    const inner = [...labels, ins.label];
    for (const i of ins.body) encodeBody(i, inner, out);
    if (ins.orElse) {
      out.push(0x05);
      for (const i of ins.orElse) encodeBody(i, inner, out);
    }
    out.push(0x0b);
  }
}

export interface FunctionDef {
  name: string;
  locals: Locals;
  result: ValType;
  body: Ins[];
}

function section(id: number, contents: number[]): number[] {
  return [id, ...uleb(contents.length), ...contents];
}

function vector(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function name(s: string): number[] {
  const bytes = [...new TextEncoder().encode(s)];
  return [...uleb(bytes.length), ...bytes];
}

/** A module exporting `memory` (one page to start) and the functions, each with its own type. */
export function encodeModule(functions: FunctionDef[]): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...vector(f.locals.params.map((t) => [t])), ...vector([[f.result]])]);
  const codes = functions.map((f) => {
    const body: number[] = [...vector(f.locals.declared.map((t) => [1, t]))];
    encodeBody(f.body, [], body);
    body.push(0x0b);
    return [...uleb(body.length), ...body];
  });
  const exports = [[...name('memory'), 0x02, 0], ...functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)])];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(3, vector(functions.map((_, i) => uleb(i)))),
    ...section(5, vector([[0x00, 1]])),
    ...section(7, vector(exports)),
    ...section(10, vector(codes)),
  ]);
}
