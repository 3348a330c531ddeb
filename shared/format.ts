/** Problems listed in an error message at most; the rest are counted, so a hostile body cannot make a huge answer. */
export const MAX_LISTED_ISSUES = 20;
const MAX_KEY_CHARS = 80;

/**
 * zod's issues as one sentence: `path: message; …`. An unknown-keys issue counts one problem per
 * key. The first MAX_LISTED_ISSUES problems are listed, then how many more there are.
 */
export function describeIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string; keys?: ReadonlyArray<string> }>): string {
  const listed: string[] = [];
  let total = 0;
  for (const i of issues) {
    const where = i.path.length ? `${i.path.map(String).join('.')}: ` : '';
    if (i.keys && i.keys.length > 0) {
      for (const key of i.keys.slice(0, Math.max(0, MAX_LISTED_ISSUES - listed.length))) {
        const shown = key.length > MAX_KEY_CHARS ? `${key.slice(0, MAX_KEY_CHARS)}…` : key;
        listed.push(`${where}unknown field ${JSON.stringify(shown)}`);
      }
      total += i.keys.length;
      continue;
    }
    if (listed.length < MAX_LISTED_ISSUES) listed.push(`${where}${i.message}`);
    total++;
  }
  const more = total - listed.length;
  return more > 0 ? `${listed.join('; ')}; and ${more} more problem${more === 1 ? '' : 's'}` : listed.join('; ');
}

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0)} ${units[u]}`;
}

export function formatDuration(seconds: number): string {
  const s = Math.floor(seconds);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${s % 60} s`;
  return `${s} s`;
}

/** The notice of run folders an unfinished creation left, moved to trash/ (Dashboard and `benchtop status`). */
export function unfinishedRunsMessage(count: number, bytes: number): string {
  const one = count === 1;
  return `Moved ${count} unfinished run folder${one ? '' : 's'} (${formatBytes(bytes)}) to trash/ — ${one ? 'it was' : 'they were'} left by a run creation that did not finish.`;
}

/** Where the unfinished run folders went: "It is in …" or "They are in …". */
export function unfinishedRunsWhere(count: number): string {
  return count === 1 ? 'It is in' : 'They are in';
}
