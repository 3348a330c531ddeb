import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { ToolInfo } from '../../shared/schemas/steps';

/** What a step needs of a tool (its definition's `tools` entry), and which steps need it. */
export interface ToolRequirement {
  name: string;
  versionArgs: string[];
  debian: string | null;
  conda: string | null;
  requiredBy?: string[];
}

export const VERSION_TIMEOUT_MS = 15_000;

/** Every tool the steps need, once, with the steps that need it (the first definition's probe and hints win). */
export function toolRequirements(steps: ReadonlyArray<{ id: string; tools: ReadonlyArray<Omit<ToolRequirement, 'requiredBy'>> }>): ToolRequirement[] {
  const byName = new Map<string, ToolRequirement & { requiredBy: string[] }>();
  for (const step of steps) {
    for (const t of step.tools) {
      const seen = byName.get(t.name);
      if (seen) {
        if (!seen.requiredBy.includes(step.id)) seen.requiredBy.push(step.id);
        seen.debian ??= t.debian;
        seen.conda ??= t.conda;
      } else {
        byName.set(t.name, { name: t.name, versionArgs: [...t.versionArgs], debian: t.debian ?? null, conda: t.conda ?? null, requiredBy: [step.id] });
      }
    }
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Why `path` cannot be run as a tool, or null when it is an executable file. */
export function checkExecutable(path: string): string | null {
  if (!isAbsolute(path)) return `${JSON.stringify(path)} is not an absolute path`;
  try {
    const st = statSync(path);
    if (!st.isFile()) return `${path} is not a file`;
    accessSync(path, constants.X_OK);
    return null;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return `${path} does not exist`;
    if (code === 'EACCES' || code === 'EPERM') return `${path} is not executable`;
    return `${path}: ${(err as Error).message}`;
  }
}

/** The PATH folders searched (absolute ones only: a relative entry such as "." would depend on the current folder). */
export function pathDirs(envPath: string | undefined = process.env.PATH): string[] {
  return (envPath ?? '').split(delimiter).filter((d) => d !== '' && isAbsolute(d));
}

/** The first executable file named `name` in the PATH folders, or null. */
export function findOnPath(name: string, envPath: string | undefined = process.env.PATH): string | null {
  if (name.includes('/') || name.includes('\\')) return null;
  for (const dir of pathDirs(envPath)) {
    const candidate = join(dir, name);
    if (checkExecutable(candidate) === null) return candidate;
  }
  return null;
}

/**
 * The version in a tool's output: the first line holding a version-like token, stdout before
 * stderr (`FastQC v0.12.1` → 0.12.1, `Version: 0.7.17-r1188` → 0.7.17-r1188, `4.2` → 4.2).
 */
export function extractVersion(...outputs: string[]): string | null {
  const token = /(?:^|[^\w.])v?(\d+\.\d+(?:\.\d+)*(?:[-+~][0-9A-Za-z]+(?:[.-][0-9A-Za-z]+)*)?)(?![\w.]*\d)/;
  for (const out of outputs) {
    for (const line of out.split(/\r?\n/)) {
      const m = token.exec(line);
      if (m?.[1]) return m[1];
    }
  }
  return null;
}

interface Probe {
  version: string | null;
  error: string | null;
}

/**
 * Run `path versionArgs…` (argv, no shell) and read the version; a non-zero exit is fine when a
 * version was printed (bwa). The probe runs in its own process group, all of it killed after the
 * timeout (FastQC is a Perl script that starts Java). (execFile would not start a process group.)
 */
export function runVersionProbe(path: string, versionArgs: string[], timeoutMs = VERSION_TIMEOUT_MS): Promise<Probe> {
  return new Promise((resolvePromise) => {
    const shown = [path, ...versionArgs].join(' ');
    const out = { stdout: '', stderr: '' };
    let timedOut = false;
    let settled = false;
    const finish = (probe: Probe) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolvePromise(probe);
    };
    let child: ChildProcess;
    try {
      child = spawn(path, versionArgs, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, windowsHide: true, env: { ...process.env, LC_ALL: 'C' } });
    } catch (err) {
      resolvePromise({ version: null, error: `\`${shown}\` could not be run: ${(err as Error).message}` });
      return;
    }
    for (const stream of ['stdout', 'stderr'] as const) {
      child[stream]?.setEncoding('utf8');
      child[stream]?.on('data', (chunk: string) => {
        if (out[stream].length < MAX_PROBE_OUTPUT) out[stream] += chunk;
      });
    }
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
      finish({ version: null, error: `\`${shown}\` did not finish within ${timeoutMs / 1000} s` });
    }, timeoutMs);
    child.on('error', (err) => finish({ version: null, error: `\`${shown}\` could not be run: ${err.message}` }));
    child.on('close', (code, signal) => {
      if (timedOut) return;
      const version = extractVersion(out.stdout, out.stderr);
      if (version) return finish({ version, error: null });
      const said = firstLine(out.stderr) || firstLine(out.stdout);
      const how = code === 0 ? 'printed no version' : `exited with ${signal ? `signal ${signal}` : `code ${String(code)}`} and printed no version`;
      finish({ version: null, error: `\`${shown}\` ${how}${said ? `: ${said}` : ''}` });
    });
  });
}

const MAX_PROBE_OUTPUT = 64 * 1024;

function killGroup(child: ChildProcess): void {
  try {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
  child.stdout?.destroy();
  child.stderr?.destroy();
}

function firstLine(text: string): string {
  const line = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line.trim();
}

// The version of an executable, remembered by (path, size, mtime, args): a replaced binary is probed anew.
const cache = new Map<string, Promise<Probe>>();
const cacheKeysByName = new Map<string, Set<string>>();

/** Forget cached versions: of one tool, or of all (the Tools page's Refresh). */
export function invalidateTools(name?: string): void {
  if (name === undefined) {
    cache.clear();
    cacheKeysByName.clear();
    return;
  }
  for (const key of cacheKeysByName.get(name) ?? []) cache.delete(key);
  cacheKeysByName.delete(name);
}

function cachedProbe(name: string, path: string, versionArgs: string[]): Promise<Probe> {
  let key: string;
  try {
    const st = statSync(path);
    key = JSON.stringify([path, st.size, st.mtimeMs, st.ino, versionArgs]);
  } catch {
    key = JSON.stringify([path, versionArgs]);
  }
  let p = cache.get(key);
  if (!p) {
    p = runVersionProbe(path, versionArgs);
    cache.set(key, p);
    let keys = cacheKeysByName.get(name);
    if (!keys) cacheKeysByName.set(name, (keys = new Set()));
    keys.add(key);
  }
  return p;
}

export interface ProbeOptions {
  /** PATH to search (default: this process's). */
  envPath?: string | undefined;
}

/**
 * Locate a tool (the user's custom path when set, else the first executable of that name on PATH)
 * and read its version. `found` is true when the executable is there; `error` also says when its
 * version could not be read.
 */
export async function probeTool(req: ToolRequirement, customPath: string | null | undefined, opts: ProbeOptions = {}): Promise<ToolInfo> {
  const base = {
    name: req.name,
    requiredBy: [...(req.requiredBy ?? [])],
    install: { debian: req.debian ?? null, conda: req.conda ?? null },
  };
  let path: string | null;
  const custom = typeof customPath === 'string' && customPath !== '';
  if (custom) {
    const why = checkExecutable(customPath);
    if (why) return { ...base, found: false, path: customPath, version: null, custom: true, error: `The custom path for ${req.name} is unusable: ${why}.` };
    path = customPath;
  } else {
    path = findOnPath(req.name, opts.envPath ?? process.env.PATH);
    if (!path) {
      const dirs = pathDirs(opts.envPath ?? process.env.PATH);
      return {
        ...base,
        found: false,
        path: null,
        version: null,
        custom: false,
        error: `No executable named "${req.name}" in any PATH folder (${dirs.join(delimiter) || 'PATH is empty'}); install it or set its path.`,
      };
    }
  }
  const probe = await cachedProbe(req.name, path, req.versionArgs);
  return { ...base, found: true, path, version: probe.version, custom, error: probe.error };
}

/** Probe every tool (in parallel; versions cached), custom paths by tool name. */
export function probeTools(requirements: ToolRequirement[], customPaths: Record<string, string | null | undefined> = {}, opts: ProbeOptions = {}): Promise<ToolInfo[]> {
  return Promise.all(requirements.map((r) => probeTool(r, Object.hasOwn(customPaths, r.name) ? customPaths[r.name] : null, opts)));
}

/** The absolute path a tool would run from (custom path, else PATH), or null; no version probe. */
export function resolveTool(name: string, customPath?: string | null, opts: ProbeOptions = {}): string | null {
  if (customPath) return checkExecutable(customPath) === null ? customPath : null;
  return findOnPath(name, opts.envPath ?? process.env.PATH);
}

/**
 * Preflight of a step's tools: each located (custom path from settings, else PATH) and probed.
 * `tools` maps each found tool to its path, for buildArgv's `{tool.NAME}`; a missing tool is a
 * problem saying what was looked for and how to install it. A version that could not be read is
 * not a problem (the tool is there; its `error` says why the version is unknown).
 */
export async function checkStepTools(
  step: { id: string; tools: ReadonlyArray<Omit<ToolRequirement, 'requiredBy'>> },
  customPaths: Record<string, string | null | undefined> = {},
  opts: ProbeOptions = {},
): Promise<{ tools: Record<string, string>; infos: ToolInfo[]; problems: Array<{ kind: 'tool'; field: string; message: string }> }> {
  const infos = await probeTools(toolRequirements([step]), customPaths, opts);
  const tools: Record<string, string> = {};
  const problems: Array<{ kind: 'tool'; field: string; message: string }> = [];
  for (const info of infos) {
    if (info.found && info.path) {
      tools[info.name] = info.path;
      continue;
    }
    const how = [info.install.debian ? `apt install ${info.install.debian}` : null, info.install.conda ? `conda install ${info.install.conda}` : null].filter(Boolean);
    problems.push({
      kind: 'tool',
      field: info.name,
      message: `${info.name}: ${info.error ?? 'not found'}${how.length ? ` To install it: ${how.join(' or ')}.` : ''}`,
    });
  }
  return { tools, infos, problems };
}
