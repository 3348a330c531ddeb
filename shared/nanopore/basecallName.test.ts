import { describe, expect, it } from 'vitest';
import { basecallRunId, decodeModBitflag, modsLabel, parseBasecallName } from './basecallName';

// lk_modifications as seed 000 fills it.
const LK = [
  { mod_code: 0, mod_type: 'none' },
  { mod_code: 1, mod_type: '6mA' },
  { mod_code: 2, mod_type: '5mCG_5hmCG' },
  { mod_code: 4, mod_type: '5mC_5hmC' },
  { mod_code: 8, mod_type: '4mC_5mC' },
  { mod_code: 16, mod_type: '5mC' },
  { mod_code: 3, mod_type: '6mA+5mCG_5hmCG' },
  { mod_code: 5, mod_type: '6mA+5mC_5hmC' },
];

describe('basecall naming convention', () => {
  it('parses good names, exp_ids with underscores included', () => {
    expect(parseBasecallName('PAW12345_sup_v5.0.0_trim1_0.bam')).toEqual({ ok: true, value: { expId: 'PAW12345', tier: 'sup', version: 'v5.0.0', trim: 1, modBitflag: 0 } });
    expect(parseBasecallName('20240115_1423_P2S-01234-A_PAW12345_a1b2c3d4_hac_v4.3.0_trim0_3.bam')).toEqual({
      ok: true,
      value: { expId: '20240115_1423_P2S-01234-A_PAW12345_a1b2c3d4', tier: 'hac', version: 'v4.3.0', trim: 0, modBitflag: 3 },
    });
    expect(parseBasecallName('exp_fast_v5_trim1_16.bam')).toMatchObject({ ok: true, value: { tier: 'fast', version: 'v5', modBitflag: 16 } });
  });

  it('refuses bad names, saying what the convention is', () => {
    for (const bad of [
      'PAW12345_sup_v5.0.0_trim1_0.sam',
      'PAW12345_ultra_v5.0.0_trim1_0.bam',
      'PAW12345_sup_5.0.0_trim1_0.bam',
      'PAW12345_sup_v5.0.0_trim2_0.bam',
      'PAW12345_sup_v5.0.0_trim1_x.bam',
      '_sup_v5.0.0_trim1_0.bam',
      'reads.bam',
    ]) {
      const r = parseBasecallName(bad);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/\{exp_id\}_\{tier\}_v\{version\}_trim\{0\|1\}_\{mods\}\.bam|not a valid experiment id/);
    }
    expect(parseBasecallName('-x_sup_v5_trim1_0.bam')).toMatchObject({ ok: false, message: expect.stringMatching(/not a valid experiment id/) });
  });

  it('names a run by the convention, round trip', () => {
    const parsed = parseBasecallName('E1_sup_v5.2.0_trim0_5.bam');
    expect(parsed.ok && basecallRunId(parsed.value)).toBe('E1_sup_v5.2.0_trim0_5');
    expect(basecallRunId({ expId: 'E1', tier: 'hac', version: '4.3.0', trim: 1, modBitflag: 0 })).toBe('E1_hac_v4.3.0_trim1_0');
  });
});

describe('modifications bitflag', () => {
  it('decodes to the single-bit modifications of lk_modifications', () => {
    const names = (flag: number) => {
      const d = decodeModBitflag(flag, LK);
      return d.ok ? d.mods.map((m) => m.mod_type) : d.message;
    };
    expect(names(0)).toEqual([]);
    expect(names(1)).toEqual(['6mA']);
    expect(names(3)).toEqual(['6mA', '5mCG_5hmCG']); // the seed's combined row 3
    expect(names(5)).toEqual(['6mA', '5mC_5hmC']);
    expect(names(31)).toEqual(['6mA', '5mCG_5hmCG', '5mC_5hmC', '4mC_5mC', '5mC']);
    expect(modsLabel(['6mA', '5mCG_5hmCG'])).toBe('6mA + 5mCG_5hmCG');
    expect(modsLabel([])).toBe('none');
  });

  it('refuses bits no modification defines, and negative flags', () => {
    expect(decodeModBitflag(32, LK)).toMatchObject({ ok: false, message: expect.stringMatching(/bitflag 32 has bits no modification defines \(32\)/) });
    expect(decodeModBitflag(33, LK)).toMatchObject({ ok: false, message: expect.stringMatching(/\(32\).*1 6mA/) });
    expect(decodeModBitflag(-1, LK).ok).toBe(false);
    // A user-added modification (code 32) makes 32 valid.
    expect(decodeModBitflag(32, [...LK, { mod_code: 32, mod_type: '5hmC' }])).toMatchObject({ ok: true, mods: [{ mod_type: '5hmC' }] });
  });
});
