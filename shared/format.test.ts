import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeIssues } from './format';

describe('describeIssues', () => {
  it('names each problem with its path', () => {
    const parsed = z.object({ name: z.string(), n: z.number() }).strict().safeParse({ n: 'x', colour: 'red' });
    expect(parsed.success).toBe(false);
    expect(describeIssues(parsed.error!.issues)).toBe(
      'name: Invalid input: expected string, received undefined; n: Invalid input: expected number, received string; unknown field "colour"',
    );
  });

  it('lists the first 20 problems and counts the rest, unknown fields one by one', () => {
    const many = z.object({ a: z.array(z.number()) }).strict().safeParse({ a: Array(25).fill('x'), ['k'.repeat(1000)]: 1, other: 2 });
    const text = describeIssues(many.error!.issues);
    expect(text.split('; ')).toHaveLength(21);
    expect(text).toContain('a.19: Invalid input');
    expect(text).not.toContain('a.20');
    expect(text.endsWith('; and 7 more problems')).toBe(true);
    const keys = describeIssues([{ path: ['params'], message: 'Unrecognized keys', keys: ['k'.repeat(1000)] }]);
    expect(keys).toBe(`params: unknown field "${'k'.repeat(80)}…"`);
  });
});
