/**
 * JSON for the files a user hands Benchtop (library specs, run configurations, step definitions),
 * on the server and in the renderer alike (YAML: electron/libraries/strictYaml.ts). Plain parsers
 * keep the last of two equal keys without a word, so one of two values the user wrote is lost; and
 * a `__proto__` key is either dropped or, copied into a plain object later, changes that object's
 * prototype. Both are refused, naming the key and where it is.
 */
export class DocumentKeyError extends Error {}

/** `$.constructs[2]` + `lib_name` → `$.constructs[2].lib_name`; odd keys in brackets. */
export function member(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Adds `key` to the keys of one mapping, refusing a repeat and `__proto__`; `line` is asked for only then. */
export function checkKey(keys: Set<string>, key: string, path: string, line: () => number): void {
  if (key === '__proto__') throw new DocumentKeyError(`key "__proto__" is not allowed at ${path} (line ${line()})`);
  if (keys.has(key)) throw new DocumentKeyError(`duplicate key ${JSON.stringify(key)} at ${path} (line ${line()})`);
  keys.add(key);
}

type Frame = { kind: 'object'; path: string; keys: Set<string>; key: string | null; expectKey: boolean } | { kind: 'array'; path: string; index: number };

/**
 * Walks JSON text that JSON.parse has accepted, tracking where each key sits. Only strings and the
 * structural characters matter: the text is known to be valid, so nothing else needs checking.
 */
function checkJsonKeys(text: string): void {
  const stack: Frame[] = [];
  const here = (): string => {
    const top = stack.at(-1);
    if (!top) return '$';
    return top.kind === 'array' ? `${top.path}[${top.index}]` : member(top.path, top.key ?? '');
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const top = stack.at(-1);
      if (top?.kind === 'object' && top.expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        checkKey(top.keys, key, top.path, () => lineOf(text, i));
        top.key = key;
        top.expectKey = false;
      }
      i = j;
    } else if (c === '{') {
      stack.push({ kind: 'object', path: here(), keys: new Set(), key: null, expectKey: true });
    } else if (c === '[') {
      stack.push({ kind: 'array', path: here(), index: 0 });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      const top = stack.at(-1);
      if (top?.kind === 'object') top.expectKey = true;
      else if (top) top.index++;
    }
  }
}

/** JSON.parse, refusing duplicate and `__proto__` keys (DocumentKeyError); syntax errors are JSON.parse's. */
export function parseStrictJson(text: string): unknown {
  const value = JSON.parse(text) as unknown;
  checkJsonKeys(text);
  return value;
}
