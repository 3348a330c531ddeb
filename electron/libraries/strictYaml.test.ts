import { describe, expect, it } from 'vitest';
import { parseStrictYaml } from './strictYaml';

describe('strict YAML', () => {
  it('refuses duplicate and __proto__ keys with their path and line', () => {
    expect(() => parseStrictYaml('lib_name: a\nconstructs:\n  - name: x\n  - name: y\n    name: z\n')).toThrow('duplicate key "name" at $.constructs[1] (line 5)');
    expect(() => parseStrictYaml('qc_thresholds:\n  __proto__:\n    polluted: true\n')).toThrow('key "__proto__" is not allowed at $.qc_thresholds (line 2)');
    expect(parseStrictYaml('a: [{b: 1}, {b: 2}]\n')).toEqual({ a: [{ b: 1 }, { b: 2 }] });
  });
});
