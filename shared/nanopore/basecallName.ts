/**
 * The lab's basecall naming convention, `{exp_id}_{tier}_v{version}_trim{0|1}_{mods}.bam`
 * (tier fast|hac|sup; mods = the bitflag of lk_modifications), and the bitflag itself.
 * Shared by the main process (registration, the basecall step) and the renderer (live parsing).
 */
import { MODEL_TIERS, type ModelTier } from '../schemas/experiments';

export interface BasecallName {
  expId: string;
  tier: ModelTier;
  /** With its leading "v", as lk_basecall_models writes it: "v5.0.0". */
  version: string;
  trim: 0 | 1;
  modBitflag: number;
}

/** exp_id may itself hold underscores: the convention is read from the right. */
const NAME_RE = new RegExp(`^(.+)_(${MODEL_TIERS.join('|')})_v(\\d[0-9A-Za-z.]*)_trim([01])_(\\d+)\\.bam$`);
export const EXP_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const VERSION_RE = /^v?\d[0-9A-Za-z.]*$/;

export type ParsedName = { ok: true; value: BasecallName } | { ok: false; message: string };

/** Parse a BAM file name (no folder) by the convention; the message says which part is wrong. */
export function parseBasecallName(fileName: string): ParsedName {
  const m = NAME_RE.exec(fileName);
  if (!m) {
    return {
      ok: false,
      message: `${JSON.stringify(fileName)} does not follow {exp_id}_{tier}_v{version}_trim{0|1}_{mods}.bam (tier fast, hac or sup; e.g. PAW12345_sup_v5.0.0_trim1_0.bam)`,
    };
  }
  const [, expId = '', tier, version = '', trim, mods = ''] = m;
  const modBitflag = Number(mods);
  if (!EXP_ID_RE.test(expId)) return { ok: false, message: `${JSON.stringify(expId)} in ${fileName} is not a valid experiment id` };
  if (!Number.isSafeInteger(modBitflag)) return { ok: false, message: `the modifications bitflag ${mods} in ${fileName} is too large` };
  return { ok: true, value: { expId, tier: tier as ModelTier, version: `v${version}`, trim: trim === '1' ? 1 : 0, modBitflag } };
}

/** The run id (and BAM name without .bam) of a basecall run: the convention's stem. */
export function basecallRunId(n: BasecallName): string {
  return `${n.expId}_${n.tier}_${normalizeVersion(n.version)}_trim${n.trim}_${n.modBitflag}`;
}

export function normalizeVersion(version: string): string {
  return version.startsWith('v') ? version : `v${version}`;
}

export interface ModificationRow {
  mod_code: number;
  mod_type: string | null;
  dorado_flag?: string | null;
}

function isSingleBit(n: number): boolean {
  return n > 0 && Number.isSafeInteger(n) && (n & (n - 1)) === 0;
}

/** The rows that are one modification each (one bit); the others (3, 5 …) name combinations. */
export function singleModifications<R extends ModificationRow>(rows: readonly R[]): R[] {
  return rows.filter((r) => isSingleBit(r.mod_code)).sort((a, b) => a.mod_code - b.mod_code);
}

export type DecodedMods = { ok: true; mods: ModificationRow[] } | { ok: false; message: string };

/**
 * The modifications of a bitflag: each single-bit code of lk_modifications that is set. 0 is
 * "none". A bit no single-bit row defines makes the flag invalid (the message names the bits).
 */
export function decodeModBitflag(flag: number, rows: readonly ModificationRow[]): DecodedMods {
  if (!Number.isSafeInteger(flag) || flag < 0) return { ok: false, message: `the modifications bitflag must be a whole number ≥ 0, not ${flag}` };
  const singles = singleModifications(rows);
  const known = singles.reduce((mask, r) => mask | r.mod_code, 0);
  const unknown = flag & ~known;
  if (unknown !== 0 || flag > 0x7fffffff) {
    const valid = singles.map((r) => `${r.mod_code} ${r.mod_type ?? ''}`.trim()).join(', ');
    return { ok: false, message: `the modifications bitflag ${flag} has bits no modification defines (${flag > 0x7fffffff ? flag : unknown}); the known ones: ${valid}` };
  }
  return { ok: true, mods: singles.filter((r) => (flag & r.mod_code) !== 0) };
}

/** "6mA + 5mCG_5hmCG", or "none". */
export function modsLabel(mods: readonly string[]): string {
  return mods.length === 0 ? 'none' : mods.join(' + ');
}
