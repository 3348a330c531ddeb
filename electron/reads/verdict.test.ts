import { describe, expect, it } from 'vitest';
import { grade, n50, overall, withDefaults } from './verdict';

describe('grade', () => {
  it('higher is better: fail below the minimum, warn from it up to the target, pass at the target', () => {
    expect(grade('higher', 9.99, 10, 20)).toBe('fail');
    expect(grade('higher', 10, 10, 20)).toBe('warn');
    expect(grade('higher', 19.99, 10, 20)).toBe('warn');
    expect(grade('higher', 20, 10, 20)).toBe('pass');
    expect(grade('higher', 5, 10, null)).toBe('fail');
    expect(grade('higher', 10, 10, null)).toBe('pass');
    expect(grade('higher', 5, null, 20)).toBe('warn');
  });

  it('lower is better: fail above the maximum, warn above the target, pass at or below it', () => {
    expect(grade('lower', 0.1001, 0.1, 0.02)).toBe('fail');
    expect(grade('lower', 0.1, 0.1, 0.02)).toBe('warn');
    expect(grade('lower', 0.0201, 0.1, 0.02)).toBe('warn');
    expect(grade('lower', 0.02, 0.1, 0.02)).toBe('pass');
    expect(grade('lower', 0.3, 0.25, null)).toBe('fail');
    expect(grade('lower', 0.25, 0.25, null)).toBe('pass');
  });

  it('does not grade without a threshold or a measurement', () => {
    expect(grade('higher', 5, null, null)).toBeNull();
    expect(grade('lower', null, 0.1, 0.02)).toBeNull();
  });
});

describe('withDefaults', () => {
  it("fills NULL columns with seed 000's defaults and says which", () => {
    const { thresholds, defaultsUsed } = withDefaults({ min_mean_qscore: 8, target_qscore: null, min_n50: 1000 });
    expect(thresholds).toMatchObject({ min_mean_qscore: 8, min_median_qscore: 12, target_qscore: 20, min_purity: 0.8, target_purity: 0.95, max_error_rate: 0.1, target_error_rate: 0.02, min_n50: 1000, max_unblock: null });
    expect(defaultsUsed).toEqual(['min_median_qscore', 'target_qscore', 'min_purity', 'target_purity', 'max_error_rate', 'target_error_rate']);
  });

  it('uses every default when the spec has no thresholds row', () => {
    expect(withDefaults(undefined).defaultsUsed).toHaveLength(7);
  });
});

describe('overall and n50', () => {
  it('is the worst graded check', () => {
    const c = (verdict: 'pass' | 'warn' | 'fail' | null) => ({ id: 'x', label: 'x', better: 'higher' as const, measured: 1, min: null, max: null, target: null, verdict });
    expect(overall([c('pass'), c(null), c('warn')])).toBe('warn');
    expect(overall([c('pass'), c('fail'), c('warn')])).toBe('fail');
    expect(overall([c(null)])).toBeNull();
  });

  it('N50 is the length where the longest reads reach half the bases', () => {
    expect(n50([{ len: 100, n: 1 }, { len: 50, n: 1 }, { len: 10, n: 5 }])).toBe(100); // 100 ≥ 200 / 2
    expect(n50([{ len: 100, n: 1 }, { len: 60, n: 2 }, { len: 10, n: 1 }])).toBe(60); // 100 < 115, 160 ≥ 115
    expect(n50([])).toBeNull();
  });
});
