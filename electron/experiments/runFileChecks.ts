/**
 * What a MinKNOW run's own files may be trusted with. A final_summary is the run's proof that it
 * ended, and its values become file names, folder links and search keys: a file that is binary,
 * lacks the keys MinKNOW always writes, or holds a value that cannot be right (a flow cell id with
 * path characters, a start that is not a date) is reported as a warning, and such a value is not
 * stored. The rules are permissive enough for every MinKNOW release: they refuse what is broken,
 * not what is unusual.
 */
import { EMPTY_METADATA, metadataFromKeyValues, parseKeyValues, type RunMetadata } from './minknow';

/** A final_summary is ~1 kB; anything this large is not one. */
export const MAX_FINAL_SUMMARY_BYTES = 1 << 20;
/** A report_*.json holds the run's graphs too: tens of MB at most. */
export const MAX_REPORT_BYTES = 64 << 20;

/** Without these a final_summary does not say which run ended (seed 000: flow_cell_id, started; the run's id). */
export const REQUIRED_SUMMARY_KEYS = ['protocol_run_id', 'flow_cell_id', 'started'] as const;

/** What is wrong with a value, or null when it is fine. */
type Rule = (value: string) => string | null;

// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

const dateTime: Rule = (v) => (ISO_DATE_TIME.test(v) && !Number.isNaN(Date.parse(v.replace(' ', 'T'))) ? null : 'is not a date and time (ISO 8601)');
const matches =
  (re: RegExp, what: string): Rule =>
  (v) =>
    re.test(v) ? null : what;
/** Sample and experiment names end up in folder and file names: no path parts. */
const name: Rule = (v) =>
  v.length > 256 || CONTROL.test(v) || /[/\\]/.test(v) || v.includes('..') ? 'is not a usable name (it may not hold "/", "\\", ".." or control characters)' : null;
const freeText: Rule = (v) => (v.length > 1024 || CONTROL.test(v) ? 'is not a usable text (control characters, or longer than 1,024 characters)' : null);
const wholeNumber: Rule = (v) => (/^\d{1,15}$/.test(v) ? null : 'is not a whole number');

const FLOW_CELL_ID = matches(/^[A-Za-z0-9_-]{1,32}$/, 'is not a flow cell id (letters, digits, "_" and "-", at most 32)');
const DEVICE_ID = matches(/^[A-Za-z0-9_.-]{1,64}$/, 'is not a device id (letters, digits, ".", "_" and "-", at most 64)');
const RUN_ID = matches(/^[A-Za-z0-9_-]{1,64}$/, 'is not a run id (letters, digits, "_" and "-", at most 64)');

/** The checked fields of RunMetadata, with their key in final_summary and in report_*.json. */
const FIELD_RULES: { field: keyof RunMetadata; summaryKey: string; reportKey: string; rule: Rule }[] = [
  { field: 'instrument', summaryKey: 'instrument', reportKey: 'device.device_id', rule: DEVICE_ID },
  { field: 'flowCellId', summaryKey: 'flow_cell_id', reportKey: 'flow_cell.flow_cell_id', rule: FLOW_CELL_ID },
  { field: 'sampleId', summaryKey: 'sample_id', reportKey: 'user_info.sample_id', rule: name },
  { field: 'protocol', summaryKey: 'protocol', reportKey: 'protocol_id', rule: freeText },
  { field: 'started', summaryKey: 'started', reportKey: 'start_time', rule: dateTime },
  { field: 'protocolRunId', summaryKey: 'protocol_run_id', reportKey: 'run_id', rule: RUN_ID },
];

/** final_summary keys Benchtop does not store but checks, since a wrong one shows the file is not right. */
const SUMMARY_ONLY_RULES: Record<string, Rule> = {
  protocol_group_id: name,
  acquisition_run_id: RUN_ID,
  acquisition_stopped: dateTime,
  processing_stopped: dateTime,
};
const COUNT_KEY = /_files_in_(final_dest|fallback)$/;

function summaryRule(key: string): Rule | null {
  if (COUNT_KEY.test(key)) return wholeNumber;
  return SUMMARY_ONLY_RULES[key] ?? FIELD_RULES.find((r) => r.summaryKey === key)?.rule ?? null;
}

function shown(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}

function refused(file: string, key: string, value: string, why: string): string {
  return `${file}: ${key}=${shown(value)} ${why}; it was not stored`;
}

/** Binary data: a NUL byte, or more than a few bytes that are neither text nor UTF-8. */
export function looksBinary(bytes: Buffer): boolean {
  if (bytes.includes(0)) return true;
  const text = bytes.toString('utf8');
  let odd = 0;
  for (const ch of text) if (ch === '\ufffd' || (CONTROL.test(ch) && ch !== '\n' && ch !== '\r' && ch !== '\t')) odd += 1;
  return odd > Math.max(2, text.length / 100);
}

export interface FinalSummaryReading {
  meta: RunMetadata;
  /** Each names the file (its name: the run's folder is shown beside it), and the key and value. */
  warnings: string[];
  /** Text, with the keys MinKNOW always writes: the run ended (its transfer still to be checked). */
  complete: boolean;
  /** Its values were read (it is text): the experiment's source is the final_summary. */
  used: boolean;
}

/** A final_summary larger than MAX_FINAL_SUMMARY_BYTES, left unread. */
export function finalSummaryTooLarge(file: string, size: number): FinalSummaryReading {
  const warning = `${file}: ${size.toLocaleString('en-US')} bytes is too large for a final summary (about 1 kB); it was not read, and the run is not taken as complete from it`;
  return { meta: EMPTY_METADATA, warnings: [warning], complete: false, used: false };
}

/** A final_summary's metadata, without the values that cannot be right, and what was wrong. */
export function readFinalSummary(bytes: Buffer, file: string): FinalSummaryReading {
  if (looksBinary(bytes)) {
    return { meta: EMPTY_METADATA, warnings: [`${file}: not a text file (it holds binary data); its values were not read, and the run is not taken as complete from it`], complete: false, used: false };
  }
  const kv = parseKeyValues(bytes.toString('utf8'));
  const warnings: string[] = [];
  const missing = REQUIRED_SUMMARY_KEYS.filter((k) => (kv.get(k) ?? '') === '');
  if (missing.length === REQUIRED_SUMMARY_KEYS.length && kv.size === 0) {
    warnings.push(`${file}: no key=value lines (empty, or not a final summary); the run is not taken as complete from it`);
  } else if (missing.length > 0) {
    warnings.push(`${file}: no ${missing.join(', ')} (MinKNOW always writes ${missing.length > 1 ? 'them' : 'it'}: the file is cut short or not a final summary); the run is not taken as complete from it`);
  }
  for (const [key, value] of [...kv]) {
    const why = value === '' ? null : summaryRule(key)?.(value);
    if (!why) continue;
    warnings.push(refused(file, key, value, why));
    kv.delete(key);
    // The POD5 files expected are the sum of both counts: with one unknown, the sum is unknown.
    if (key.startsWith('pod5_files_in_')) for (const k of [...kv.keys()]) if (k.startsWith('pod5_files_in_')) kv.delete(k);
  }
  return { meta: metadataFromKeyValues(kv), warnings, complete: missing.length === 0, used: true };
}

/** A report's metadata without the values that cannot be right (as readFinalSummary does); `meta` itself when all are fine. */
export function checkReportMetadata(meta: RunMetadata, file: string): { meta: RunMetadata; warnings: string[] } {
  let checked = meta;
  const warnings: string[] = [];
  for (const { field, reportKey, rule } of FIELD_RULES) {
    const value = meta[field];
    if (typeof value !== 'string') continue;
    const why = rule(value);
    if (!why) continue;
    warnings.push(refused(file, `protocol_run_info.${reportKey}`, value, why));
    checked = { ...checked, [field]: null };
  }
  return { meta: checked, warnings };
}
