import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { readSettings } from './settings';

export type WorkspaceSource = 'flag' | 'env' | 'setting' | 'default';

/** `--workspace` beats `BENCHTOP_WORKSPACE` beats the saved setting beats `~/Benchtop`. */
export function resolveWorkspaceDir(opts: {
  flag?: string | undefined;
  env?: NodeJS.ProcessEnv;
  configDir: string;
}): { dir: string; source: WorkspaceSource } {
  const env = opts.env ?? process.env;
  if (opts.flag) return { dir: expand(opts.flag), source: 'flag' };
  if (env.BENCHTOP_WORKSPACE) return { dir: expand(env.BENCHTOP_WORKSPACE), source: 'env' };
  const saved = readSettings(opts.configDir).workspace;
  if (saved && isAbsolute(saved)) return { dir: saved, source: 'setting' };
  return { dir: join(homedir(), 'Benchtop'), source: 'default' };
}

/** `~/x` as a shell would expand it; everything else resolved against the current directory. */
export function expand(p: string): string {
  if (p === '~') return homedir();
  if (p.startsWith('~/')) return join(homedir(), p.slice(2));
  return resolve(p);
}
