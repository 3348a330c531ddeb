import { execFileSync } from 'node:child_process';

/** Debian's python3-edlib, the reference the ingest's distances are checked against. */
export const SYSTEM_PYTHON = '/usr/bin/python3';

/** edlib's NW distance of every pair (query, target), in one python process. */
export function edlibDistances(pairs: ReadonlyArray<readonly [string, string]>): number[] {
  const script = [
    'import sys, json, edlib',
    'pairs = json.load(sys.stdin)',
    'print(json.dumps([edlib.align(q, t, mode="NW", task="distance")["editDistance"] for q, t in pairs]))',
  ].join('\n');
  const out = execFileSync(SYSTEM_PYTHON, ['-c', script], { input: JSON.stringify(pairs), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out) as number[];
}
