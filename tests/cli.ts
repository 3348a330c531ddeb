import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** The CLI as a user runs it. */
const CLI_BIN = join(import.meta.dirname, '../bin/benchtop.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `benchtop ARGS` as its own process against a test's workspace and config folder (never the
 * user's), and waits for it: exit code and both streams.
 */
export function runCli(
  args: string[],
  dirs: { config: string; workspace: string },
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): CliResult {
  const r = spawnSync(process.execPath, [CLI_BIN, ...args], {
    encoding: 'utf8',
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    env: { ...process.env, BENCHTOP_CONFIG_DIR: dirs.config, BENCHTOP_WORKSPACE: dirs.workspace, ...options.env },
    timeout: options.timeoutMs ?? 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
