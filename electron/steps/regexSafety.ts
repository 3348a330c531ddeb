/**
 * Whether a parameter's `pattern` can be matched in reasonable time by a backtracking engine
 * (V8's, which Ajv uses on the main process). A pattern is refused when some input could make the
 * matcher try exponentially many ways:
 *  - a repeated part containing another repeat, unless every repetition must also match a
 *    character the inner repeat cannot (`([0-9]+,)*` is fine: the comma ends each turn;
 *    `(a+)+`, `(\w+\s?)+` and `(a*)*` are not);
 *  - a repeated choice whose options can start with the same character (`(a|a)*`, `(a|ab)+`);
 *  - a back-reference (matching those is not even polynomial in general).
 * The check is conservative: it may refuse a harmless pattern, never the reverse for these shapes.
 * Adjacent repeats (`a*a*`) cost polynomial time only and are left alone.
 */

/** Sorted, disjoint, non-adjacent inclusive code point ranges. */
type CharSet = ReadonlyArray<readonly [number, number]>;

type Node =
  | { t: 'char'; set: CharSet }
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; branches: Node[] }
  | { t: 'group'; body: Node; lookaround: boolean }
  | { t: 'repeat'; body: Node; min: number; max: number }
  | { t: 'assert' }
  | { t: 'backref' };

const MAX_CP = 0x10ffff;
const ANY: CharSet = [[0, MAX_CP]];
const EMPTY: CharSet = [];

function normalise(ranges: Array<readonly [number, number]>): CharSet {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [lo, hi] of sorted) {
    const last = out.at(-1);
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

const union = (...sets: CharSet[]): CharSet => normalise(sets.flat());

function complement(set: CharSet): CharSet {
  const out: Array<[number, number]> = [];
  let next = 0;
  for (const [lo, hi] of set) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CP) out.push([next, MAX_CP]);
  return out;
}

function intersects(a: CharSet, b: CharSet): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const [alo, ahi] = a[i]!;
    const [blo, bhi] = b[j]!;
    if (alo <= bhi && blo <= ahi) return true;
    if (ahi < bhi) i++;
    else j++;
  }
  return false;
}

const cp = (c: string) => c.codePointAt(0)!;
const one = (n: number): CharSet => [[n, n]];
const DIGIT: CharSet = [[0x30, 0x39]];
const WORD: CharSet = normalise([
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
]);
const SPACE: CharSet = normalise([
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
]);
const LINE_TERMINATORS: CharSet = normalise([
  [0x0a, 0x0a],
  [0x0d, 0x0d],
  [0x2028, 0x2029],
]);
const DOT = complement(LINE_TERMINATORS);

class Unsupported extends Error {}

/** A small parser for the regular expressions `new RegExp(p, 'u')` accepts (the caller checks that first). */
class Parser {
  private i = 0;
  constructor(private readonly src: string) {}

  parse(): Node {
    const node = this.alternation();
    if (this.i < this.src.length) throw new Unsupported(`unexpected ${this.src[this.i]}`);
    return node;
  }

  private peek(): string | undefined {
    return this.src[this.i];
  }

  private alternation(): Node {
    const branches = [this.sequence()];
    while (this.peek() === '|') {
      this.i++;
      branches.push(this.sequence());
    }
    return branches.length === 1 ? branches[0]! : { t: 'alt', branches };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.i < this.src.length && this.peek() !== '|' && this.peek() !== ')') {
      const atom = this.atom();
      items.push(this.quantified(atom));
    }
    return { t: 'seq', items };
  }

  private quantified(atom: Node): Node {
    const c = this.peek();
    let min: number;
    let max: number;
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) return atom;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      this.i += m[0].length - 1;
    } else return atom;
    this.i++;
    if (this.peek() === '?') this.i++; // lazy: the same ways to match, tried in another order
    return { t: 'repeat', body: atom, min, max };
  }

  private atom(): Node {
    const c = this.src[this.i++]!;
    switch (c) {
      case '^':
      case '$':
        return { t: 'assert' };
      case '.':
        return { t: 'char', set: DOT };
      case '[':
        return { t: 'char', set: this.charClass() };
      case '\\':
        return this.escape();
      case '(': {
        let lookaround = false;
        if (this.src.startsWith('?:', this.i)) this.i += 2;
        else if (/^\?<?[=!]/.test(this.src.slice(this.i))) {
          lookaround = true;
          this.i += this.src[this.i + 1] === '<' ? 3 : 2;
        } else if (this.src.startsWith('?<', this.i)) {
          const end = this.src.indexOf('>', this.i);
          if (end < 0) throw new Unsupported('unterminated group name');
          this.i = end + 1;
        } else if (this.peek() === '?') throw new Unsupported(`group (${this.src.slice(this.i, this.i + 2)}`);
        const body = this.alternation();
        if (this.src[this.i++] !== ')') throw new Unsupported('unclosed group');
        return { t: 'group', body, lookaround };
      }
      default:
        return { t: 'char', set: this.literal() };
    }
  }

  /** The code point that starts one before the cursor (a surrogate pair counts as one character). */
  private literal(): CharSet {
    const code = cp(this.src.slice(this.i - 1));
    if (code > 0xffff) this.i++;
    return one(code);
  }

  private escape(): Node {
    const c = this.src[this.i++];
    if (c === undefined) throw new Unsupported('trailing backslash');
    if (c === 'b' || c === 'B') return { t: 'assert' };
    if (/[1-9]/.test(c) || c === 'k') return { t: 'backref' };
    return { t: 'char', set: this.escapedSet(c) };
  }

  /** The characters one escape (after the backslash, whose letter `c` was consumed) stands for. */
  private escapedSet(c: string): CharSet {
    switch (c) {
      case 'd':
        return DIGIT;
      case 'D':
        return complement(DIGIT);
      case 'w':
        return WORD;
      case 'W':
        return complement(WORD);
      case 's':
        return SPACE;
      case 'S':
        return complement(SPACE);
      case 'n':
        return one(0x0a);
      case 'r':
        return one(0x0d);
      case 't':
        return one(0x09);
      case 'f':
        return one(0x0c);
      case 'v':
        return one(0x0b);
      case '0':
        return one(0);
      case 'p':
      case 'P': {
        // A Unicode property: taken as "any character", which can only make the check stricter.
        const end = this.src.indexOf('}', this.i);
        if (this.peek() !== '{' || end < 0) throw new Unsupported('\\p without {…}');
        this.i = end + 1;
        return ANY;
      }
      case 'c': {
        const letter = this.src[this.i++] ?? '';
        return one(cp(letter) % 32);
      }
      case 'x': {
        const hex = this.src.slice(this.i, this.i + 2);
        this.i += 2;
        return one(parseInt(hex, 16));
      }
      case 'u': {
        if (this.peek() === '{') {
          const end = this.src.indexOf('}', this.i);
          const code = parseInt(this.src.slice(this.i + 1, end), 16);
          this.i = end + 1;
          return one(code);
        }
        const code = parseInt(this.src.slice(this.i, this.i + 4), 16);
        this.i += 4;
        return one(code);
      }
      default:
        return one(cp(c)); // an escaped syntax character: itself
    }
  }

  private charClass(): CharSet {
    const negated = this.peek() === '^';
    if (negated) this.i++;
    const parts: CharSet[] = [];
    while (this.peek() !== ']') {
      if (this.i >= this.src.length) throw new Unsupported('unclosed [');
      const lo = this.classAtom();
      if (this.peek() === '-' && this.src[this.i + 1] !== ']' && lo.length === 1 && lo[0]![0] === lo[0]![1]) {
        this.i++;
        const hi = this.classAtom();
        if (hi.length === 1 && hi[0]![0] === hi[0]![1]) {
          parts.push([[lo[0]![0], hi[0]![0]]]);
          continue;
        }
        parts.push(lo, one(0x2d), hi);
        continue;
      }
      parts.push(lo);
    }
    this.i++;
    const set = union(...parts);
    return negated ? complement(set) : set;
  }

  private classAtom(): CharSet {
    const c = this.src[this.i++]!;
    if (c !== '\\') return this.literal();
    const e = this.src[this.i++];
    if (e === undefined) throw new Unsupported('trailing backslash');
    if (e === 'b') return one(0x08);
    return this.escapedSet(e);
  }
}

function nullable(n: Node): boolean {
  switch (n.t) {
    case 'char':
      return false;
    case 'seq':
      return n.items.every(nullable);
    case 'alt':
      return n.branches.some(nullable);
    case 'group':
      return n.lookaround || nullable(n.body);
    case 'repeat':
      return n.min === 0 || nullable(n.body);
    default:
      return true;
  }
}

/** Every character the node can consume. */
function chars(n: Node): CharSet {
  switch (n.t) {
    case 'char':
      return n.set;
    case 'seq':
      return union(...n.items.map(chars));
    case 'alt':
      return union(...n.branches.map(chars));
    case 'group':
      return n.lookaround ? EMPTY : chars(n.body);
    case 'repeat':
      return n.max === 0 ? EMPTY : chars(n.body);
    default:
      return EMPTY;
  }
}

/** The characters a match of the node can start with. */
function first(n: Node): CharSet {
  switch (n.t) {
    case 'char':
      return n.set;
    case 'seq': {
      const sets: CharSet[] = [];
      for (const item of n.items) {
        sets.push(first(item));
        if (!nullable(item)) break;
      }
      return union(...sets);
    }
    case 'alt':
      return union(...n.branches.map(first));
    case 'group':
      return n.lookaround ? EMPTY : first(n.body);
    case 'repeat':
      return n.max === 0 ? EMPTY : first(n.body);
    default:
      return EMPTY;
  }
}

function children(n: Node): Node[] {
  if (n.t === 'seq') return n.items;
  if (n.t === 'alt') return n.branches;
  if (n.t === 'group' || n.t === 'repeat') return [n.body];
  return [];
}

function* descendants(n: Node): Generator<Node> {
  for (const c of children(n)) {
    yield c;
    yield* descendants(c);
  }
}

/** The parts one turn of a repeat must match in order (groups of a single sequence opened up). */
function sequenceOf(n: Node): Node[] {
  if (n.t === 'group' && !n.lookaround) return sequenceOf(n.body);
  if (n.t === 'seq') return n.items.flatMap(sequenceOf);
  return [n];
}

const repeats = (n: Node): n is Extract<Node, { t: 'repeat' }> => n.t === 'repeat' && n.max > 1;

function problemOf(root: Node): string | null {
  for (const n of [root, ...descendants(root)]) {
    if (n.t === 'backref') return 'a back-reference';
    if (!repeats(n)) continue;
    const turn = sequenceOf(n.body);
    for (const inner of descendants(n.body)) {
      if (repeats(inner)) {
        const innerChars = chars(inner);
        const separated = turn.some((part) => !nullable(part) && !intersects(chars(part), innerChars));
        if (!separated) return 'a repeated group containing a repeat';
      }
      if (inner.t === 'alt') {
        const starts = inner.branches.map(first);
        for (let a = 0; a < starts.length; a++) {
          for (let b = a + 1; b < starts.length; b++) {
            if (intersects(starts[a]!, starts[b]!)) return 'a repeated choice whose options can match the same text';
          }
        }
      }
    }
  }
  return null;
}

/**
 * Why matching `pattern` could take exponential time, in a few words, or null when it is safe.
 * `pattern` must already compile with `new RegExp(pattern, 'u')`.
 */
export function slowPatternReason(pattern: string): string | null {
  let root: Node;
  try {
    root = new Parser(pattern).parse();
  } catch (err) {
    if (err instanceof Unsupported) return `it uses syntax whose cost cannot be checked (${err.message})`;
    throw err;
  }
  return problemOf(root);
}
