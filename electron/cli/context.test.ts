import { describe, expect, it } from 'vitest';
import { LINE_LIMITS } from '../pipelines/qslam/fastq';
import { logLines } from './context';

describe('logLines (jobs logs, launch --follow)', () => {
  it('prints whole lines and keeps the unfinished end for the next chunk', () => {
    const first = logLines('', 'a\nb\npart');
    expect(first).toEqual({ lines: ['a', 'b'], carry: 'part' });
    expect(logLines(first.carry, 'ial\n')).toEqual({ lines: ['partial'], carry: '' });
  });

  it('a job writing without newlines does not make the command hold everything it wrote', () => {
    let carry = '';
    const printed: string[] = [];
    for (let i = 0; i < 5; i++) {
      const cut = logLines(carry, 'x'.repeat(LINE_LIMITS.table / 2 + 1));
      carry = cut.carry;
      printed.push(...cut.lines);
      expect(carry.length).toBeLessThanOrEqual(LINE_LIMITS.table);
    }
    expect(printed.join('').length + carry.length).toBe(5 * (LINE_LIMITS.table / 2 + 1));
  });
});
