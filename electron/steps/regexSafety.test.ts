import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { slowPatternReason } from './regexSafety';

describe('slowPatternReason', () => {
  it.each([
    ['^(a+)+$', 'a repeated group containing a repeat'],
    ['(a*)*', 'a repeated group containing a repeat'],
    ['(\\w+\\s?)+$', 'a repeated group containing a repeat'],
    ['^(\\d+)*$', 'a repeated group containing a repeat'],
    ['(.*a){12}', 'a repeated group containing a repeat'],
    ['^(?:[a-z]+\\d?)+$', 'a repeated group containing a repeat'],
    ['^((ab)*)+$', 'a repeated group containing a repeat'],
    ['(a|a)*', 'a repeated choice whose options can match the same text'],
    ['^(a|ab)+$', 'a repeated choice whose options can match the same text'],
    ['^(\\w|\\d)+$', 'a repeated choice whose options can match the same text'],
    ['^(?<x>a)\\k<x>$', 'a back-reference'],
    ['^(a)\\1$', 'a back-reference'],
  ])('refuses %s', (pattern, reason) => {
    expect(() => new RegExp(pattern, 'u')).not.toThrow();
    expect(slowPatternReason(pattern)).toBe(reason);
  });

  it.each([
    '^[ACGTN]+$',
    '^[A-Za-z0-9_.-]{1,64}$',
    '^[0-9]+(,[0-9]+)*$',
    '^([A-Za-z0-9.]+_)*(fast|hac|sup)@v[0-9][0-9A-Za-z.]*$',
    '^(a+b+)+$',
    '^(https?|ftp)://[^\\s]+$',
    '^(?:[a-z]|[0-9])+$',
    '^\\p{L}+$',
    '^[\\u0041-\\u005A\\-]*$',
    '^a*a*$',
    '',
  ])('accepts %s', (pattern) => {
    expect(slowPatternReason(pattern)).toBeNull();
  });

  it('accepts every pattern of the built-in step definitions', () => {
    const dir = join(import.meta.dirname, '../../resources/steps');
    const patterns: string[] = [];
    const collect = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(collect);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (k === 'pattern' && typeof x === 'string') patterns.push(x);
          else collect(x);
        }
      }
    };
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) collect(JSON.parse(readFileSync(join(dir, name), 'utf8')));
    expect(patterns.length).toBeGreaterThan(5);
    for (const p of patterns) expect([p, slowPatternReason(p)]).toEqual([p, null]);
  });

});
