import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** A tool's report that cannot be read: the message names the file. */
export class ReportError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'ReportError';
  }
}

/** Files under `dir` (depth-first, sorted, at most `maxDepth` folders down) whose name passes `test`. */
export function findFiles(dir: string, test: (name: string, path: string) => boolean, maxDepth = 2): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number) => {
    let entries: string[];
    try {
      entries = readdirSync(d).sort();
    } catch {
      return;
    }
    for (const name of entries) {
      const path = join(d, name);
      let st;
      try {
        st = statSync(path);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (depth < maxDepth) walk(path, depth + 1);
      } else if (test(name, path)) out.push(path);
    }
  };
  if (existsSync(dir)) walk(dir, 0);
  return out;
}

/** A tool's report is kilobytes: a much larger file under its name is not one, and is not read whole. */
const MAX_REPORT_BYTES = 64 << 20;

/** A report's text, refused (naming the file) when it is too large to be a report. */
export function readReportText(path: string): string {
  const size = statSync(path).size;
  if (size > MAX_REPORT_BYTES) throw new ReportError(path, `${size} bytes, larger than ${MAX_REPORT_BYTES >> 20} MiB: not a tool's report`);
  return readFileSync(path, 'utf8');
}

/** Parses a JSON report, naming the file when it is not JSON. */
export function readJson(path: string): unknown {
  const text = readReportText(path);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ReportError(path, `not valid JSON (${(err as Error).message})`);
  }
}

/** Reads a JSON file if it parses and `accept`s it; otherwise null (for finding a tool's report among other JSON files). */
export function tryJson(path: string, accept: (value: unknown) => boolean): unknown {
  try {
    const value = JSON.parse(readReportText(path)) as unknown;
    return accept(value) ? value : null;
  } catch {
    return null;
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `obj.a.b.c` as a number, or null when missing or not a number. */
export function num(value: unknown, ...path: string[]): number | null {
  let v: unknown = value;
  for (const key of path) {
    if (!isObject(v)) return null;
    v = v[key];
  }
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function percent(part: number | null, whole: number | null, digits = 2): number | null {
  if (part === null || whole === null || whole === 0) return null;
  const f = 10 ** digits;
  return Math.round((100 * part * f) / whole) / f;
}
