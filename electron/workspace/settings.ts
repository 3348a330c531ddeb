import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';

/** Per-user settings, shared by the desktop app, `benchtop serve` and the CLI. */
const Settings = z
  .object({
    workspace: z.string().optional(),
  })
  .passthrough();
export type Settings = z.infer<typeof Settings>;

/** `BENCHTOP_CONFIG_DIR`, else `$XDG_CONFIG_HOME/Benchtop`, else `~/.config/Benchtop` (Electron's userData on Linux). */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BENCHTOP_CONFIG_DIR) return env.BENCHTOP_CONFIG_DIR;
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'Benchtop');
}

export function settingsFile(dir: string): string {
  return join(dir, 'settings.json');
}

/** A missing or unreadable settings file means defaults: settings must never stop the app from starting. */
export function readSettings(dir: string): Settings {
  try {
    const parsed = Settings.safeParse(JSON.parse(readFileSync(settingsFile(dir), 'utf8')));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

export function writeSettings(dir: string, patch: Partial<Settings>): Settings {
  const next = { ...readSettings(dir), ...patch };
  writeJsonAtomically(settingsFile(dir), next);
  return next;
}

/** Write a per-user JSON file (temp file, then rename), so a crash mid-write leaves the old file whole. */
export function writeJsonAtomically(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(tmp, file);
}
