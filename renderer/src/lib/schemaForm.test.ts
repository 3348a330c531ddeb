import { describe, expect, it } from 'vitest';
import { initialValues, localProblem, schemaFields, toParams } from './schemaForm';

const schema = {
  type: 'object',
  required: ['seq'],
  properties: {
    seq: { type: 'string', title: 'Adapter', pattern: '^[ACGTN]+$', 'x-ui': { patternMessage: 'must contain only A, C, G, T and N' } },
    rate: { type: 'number', minimum: 0, exclusiveMaximum: 1, default: 0.3 },
    mode: { type: 'integer', enum: [0, 1], default: 0 },
    anchored: { type: 'boolean', default: false },
    genome: { type: 'string', format: 'file-path' },
  },
  'x-ui': { order: ['seq', 'rate'], groups: [{ title: 'Read 1', fields: ['rate', 'seq'] }] },
};

describe('schema forms', () => {
  it('reads fields, groups and order from the schema', () => {
    const groups = schemaFields(schema);
    expect(groups.map((g) => g.title)).toEqual(['Read 1', 'General']);
    expect(groups[0]!.fields.map((f) => f.name)).toEqual(['seq', 'rate']);
    expect(groups[1]!.fields.map((f) => f.name)).toEqual(['mode', 'anchored', 'genome']);
    const seq = groups[0]!.fields[0]!;
    expect(seq).toMatchObject({ required: true, title: 'Adapter', pattern: '^[ACGTN]+$' });
    expect(groups[1]!.fields[2]!.format).toBe('file-path');
  });

  it('prefills stored values, then defaults, and converts back to typed params', () => {
    const groups = schemaFields(schema);
    const values = initialValues(groups, { seq: 'ACGT', mode: 1 });
    expect(values).toEqual({ seq: 'ACGT', rate: '0.3', mode: '1', anchored: false, genome: '' });
    expect(toParams(groups, { ...values, rate: '0.25' })).toEqual({ seq: 'ACGT', rate: 0.25, mode: 1, anchored: false, genome: null });
    expect(toParams(groups, { ...values, rate: 'abc' }).rate).toBe('abc');
  });

  it('checks a field locally: required, pattern, bounds', () => {
    const [g] = schemaFields(schema);
    const [seq, rate] = g!.fields;
    expect(localProblem(seq!, '')).toBe('Required.');
    expect(localProblem(seq!, 'ACGT; touch pwned')).toMatch(/only A, C, G, T and N/);
    expect(localProblem(seq!, 'ACGT')).toBeNull();
    expect(localProblem(rate!, '1')).toBe('Must be less than 1.');
    expect(localProblem(rate!, '-1')).toBe('Must be at least 0.');
  });
});
