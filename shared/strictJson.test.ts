import { describe, expect, it } from 'vitest';
import { DocumentKeyError, parseStrictJson } from './strictJson';

describe('strict JSON', () => {
  it('parses what JSON.parse parses, escapes and nesting included', () => {
    const text = '{"a": [1, {"b": "x\\"}{,"}, [[]]], "c\\u0064": {"e": null}, "f": "\\\\"}';
    expect(parseStrictJson(text)).toEqual(JSON.parse(text));
  });

  it('refuses a duplicate key, naming it, the object it is in and the line', () => {
    const text = '{\n  "constructs": [\n    {"name": "a"},\n    {"name": "b"},\n    {"name": "c",\n     "lib_name": 1, "lib_name": 2}\n  ]\n}';
    expect(() => parseStrictJson(text)).toThrow(new DocumentKeyError('duplicate key "lib_name" at $.constructs[2] (line 6)'));
    // The same key written with an escape is the same key.
    expect(() => parseStrictJson('{"ab": 1, "a\\u0062": 2}')).toThrow('duplicate key "ab" at $ (line 1)');
    // Equal keys in different objects are fine.
    expect(parseStrictJson('[{"a": 1}, {"a": 2}, {"x": {"a": 3}, "a": 4}]')).toHaveLength(3);
  });

  it('refuses a __proto__ key anywhere, with its path', () => {
    expect(() => parseStrictJson('{"spec": {"odd key": [{"__proto__": {"x": 1}}]}}')).toThrow('key "__proto__" is not allowed at $.spec["odd key"][0] (line 1)');
  });

  it('leaves syntax errors to JSON.parse', () => {
    expect(() => parseStrictJson('{"a": ')).toThrow(SyntaxError);
  });
});
