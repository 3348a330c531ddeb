import { readSettings, writeSettings } from '../workspace/settings';

/** The user's custom tool paths: `toolPaths: { name: absolute path }` in settings.json (per user, not per workspace). */
export function readToolPaths(configDir: string): Record<string, string> {
  const raw = (readSettings(configDir) as Record<string, unknown>).toolPaths;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  const out: Record<string, string> = {};
  for (const [name, path] of Object.entries(raw)) if (typeof path === 'string' && path !== '') out[name] = path;
  return out;
}

/** Set (or, with null, clear) one tool's custom path; returns all of them. */
export function writeToolPath(configDir: string, name: string, path: string | null): Record<string, string> {
  const next = { ...readToolPaths(configDir) };
  if (path === null) delete next[name];
  else next[name] = path;
  writeSettings(configDir, { toolPaths: next });
  return next;
}
