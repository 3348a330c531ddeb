import type Database from 'better-sqlite3';
import { lookupHas, lookupKeys, type SqlRow, type SqlValue } from '../../db/repos/libraries';
import { ApiError } from '../../shared/errors';
import { MAX_FIELD_CHARS, type LibField } from '../../shared/schemas/libraries';

const IUPAC = /^[ACGTURYSWKMBDHVN]*$/;
const DATE = /^\d{4}-\d\d-\d\d$/;

/** `constructs[2].fragments[0]` + `expected_len` → `constructs[2].fragments[0].expected_len`. */
export function fieldPath(where: string, name: string): string {
  return where ? `${where}.${name}` : name;
}

export function invalid(path: string, message: string): ApiError {
  return new ApiError('invalid_request', `${path}: ${message}`);
}

function describe(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** One value of a field, checked and normalised for SQLite (booleans as 0/1, DNA upper-case). */
function fieldValue(db: Database.Database, field: LibField, value: unknown, path: string): SqlValue {
  if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) {
    if (field.required) throw invalid(path, `${field.label} is required.`);
    return null;
  }
  let out: SqlValue;
  switch (field.kind) {
    case 'bool':
      if (value === true || value === 1) out = 1;
      else if (value === false || value === 0) out = 0;
      else throw invalid(path, `must be true or false, not ${describe(value)}.`);
      break;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw invalid(path, `must be a whole number, not ${describe(value)}.`);
      out = value;
      break;
    case 'real':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(path, `must be a number, not ${describe(value)}.`);
      out = value;
      break;
    default:
      if (typeof value !== 'string' && typeof value !== 'number') throw invalid(path, `must be text, not ${describe(value)}.`);
      out = String(value);
  }
  if (typeof out === 'number' && field.kind !== 'bool') {
    if (field.min !== undefined && out < field.min) throw invalid(path, `must be at least ${field.min}, not ${out}.`);
    if (field.max !== undefined && out > field.max) throw invalid(path, `must be at most ${field.max}, not ${out}.`);
  }
  if (typeof out === 'string') {
    if (out.length > MAX_FIELD_CHARS) {
      throw invalid(path, `is ${out.length.toLocaleString('en-US')} characters long; a field holds at most ${MAX_FIELD_CHARS.toLocaleString('en-US')}.`);
    }
    if (field.dna) {
      out = out.replace(/\s+/g, '').toUpperCase();
      const bad = /[^ACGTURYSWKMBDHVN]/.exec(out);
      if (!IUPAC.test(out)) throw invalid(path, `is not a DNA sequence: ${describe(bad?.[0])} at position ${(bad?.index ?? 0) + 1} (IUPAC letters only).`);
    }
    if (field.date && !DATE.test(out)) throw invalid(path, `must be a date as YYYY-MM-DD, not ${describe(out)}.`);
    if (field.json) {
      try {
        JSON.parse(out);
      } catch (err) {
        throw invalid(path, `is not valid JSON (${(err as Error).message}).`);
      }
    }
    if (field.options && !field.options.includes(out)) throw invalid(path, `must be one of ${field.options.join(', ')}, not ${describe(out)}.`);
  }
  if (field.lookup && !lookupHas(db, field.lookup.table, field.lookup.column, out)) {
    const keys = lookupKeys(db, field.lookup.table, field.lookup.column);
    throw invalid(path, `${describe(out)} is not in ${field.lookup.table} (it has ${keys.join(', ')}); add it there first if it is new.`);
  }
  return out;
}

/**
 * Checks the given fields of a row against their definitions; unknown names are refused. With
 * `fill`, missing fields get the seed's default (a new row). `extra` names columns handled by the
 * caller (ids, parents), passed through untouched.
 */
export function checkRow(
  db: Database.Database,
  fields: readonly LibField[],
  input: Record<string, unknown>,
  where: string,
  opts: { fill: boolean; extra?: readonly string[] },
): SqlRow {
  const byName = new Map(fields.map((f) => [f.name, f]));
  const out: SqlRow = {};
  for (const [name, value] of Object.entries(input)) {
    if (opts.extra?.includes(name)) continue;
    const field = byName.get(name);
    if (!field) {
      throw invalid(fieldPath(where, name), `unknown field (the fields are ${[...opts.extra ?? [], ...fields.map((f) => f.name)].join(', ')}).`);
    }
    out[name] = fieldValue(db, field, value, fieldPath(where, name));
  }
  if (opts.fill) {
    for (const field of fields) {
      if (out[field.name] !== undefined) continue;
      if (field.default !== undefined) out[field.name] = field.default;
      else if (field.required && !field.computed) throw invalid(fieldPath(where, field.name), `${field.label} is required.`);
    }
  }
  return out;
}

/** Length bounds of a fragment, on the row as it will be stored. */
export function checkFragmentLengths(row: SqlRow, where: string): void {
  const { len_min: min, len_max: max, expected_len: expected } = row;
  if (typeof min === 'number' && typeof max === 'number' && min > max) throw invalid(fieldPath(where, 'len_min'), `${min} is above len_max ${max}.`);
  if (typeof expected === 'number') {
    if (typeof min === 'number' && expected < min) throw invalid(fieldPath(where, 'expected_len'), `${expected} is below len_min ${min}.`);
    if (typeof max === 'number' && expected > max) throw invalid(fieldPath(where, 'expected_len'), `${expected} is above len_max ${max}.`);
  }
}

/** Each [lower, upper] pair of QC thresholds: the lower bound may not exceed the upper. */
const QC_ORDER: ReadonlyArray<readonly [string, string]> = [
  ['min_mean_qscore', 'target_qscore'],
  ['min_median_qscore', 'target_qscore'],
  ['min_purity', 'target_purity'],
  ['target_error_rate', 'max_error_rate'],
  ['min_n50', 'target_n50'],
  ['min_reads', 'target_reads'],
  ['min_bases', 'target_bases'],
];

/** QC thresholds as they will be stored: no minimum above its target (nor a target error rate above the maximum). */
export function checkQcOrder(row: SqlRow, fields: readonly LibField[], where: string): void {
  const label = (name: string) => fields.find((f) => f.name === name)?.label ?? name;
  for (const [low, high] of QC_ORDER) {
    const a = row[low];
    const b = row[high];
    if (typeof a === 'number' && typeof b === 'number' && a > b) throw invalid(fieldPath(where, low), `${label(low)} ${a} is above ${label(high)} ${b}; it can be at most that.`);
  }
}

/** GC fraction of a sequence over its A, C, G and T (other IUPAC letters are not counted); null when it has none. */
export function gcFraction(sequence: string): number | null {
  let gc = 0;
  let acgt = 0;
  for (let i = 0; i < sequence.length; i++) {
    const c = sequence.charCodeAt(i) | 0x20;
    if (c === 0x67 || c === 0x63) {
      gc++;
      acgt++;
    } else if (c === 0x61 || c === 0x74) acgt++;
  }
  return acgt === 0 ? null : Math.round((gc / acgt) * 1e6) / 1e6;
}
