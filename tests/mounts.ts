import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A small tmpfs of its own, for tests of a read-only or full disk (as root, chmod denies nothing,
 * so a read-only mount is the one honest way). Where mounting is not permitted, `skip` says why.
 */
export interface TestMount {
  dir: string;
  /** A workspace folder inside the mount, and a config folder outside it. */
  workspace: string;
  config: string;
  /** The mount is read-only from now on (`mount -o remount,ro`). */
  readOnly(): void;
  /** Fill every free byte with one file, so the next write fails with ENOSPC. */
  fill(): void;
  cleanup(): void;
}

export function mountTmpfs(sizeBytes: number): { mount: TestMount; skip: null } | { mount: null; skip: string } {
  const dir = mkdtempSync(join(tmpdir(), 'benchtop-mount-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    const why = (err as { stderr?: Buffer }).stderr?.toString().trim() || (err as Error).message;
    return { mount: null, skip: `cannot mount a tmpfs here (${why}): read-only and full-disk tests skipped` };
  }
  const config = mkdtempSync(join(tmpdir(), 'benchtop-mount-config-'));
  return {
    skip: null,
    mount: {
      dir,
      workspace: join(dir, 'workspace'),
      config,
      readOnly: () => execFileSync('mount', ['-o', 'remount,ro', dir], { stdio: 'pipe' }),
      fill: () => {
        const fs = statfsSync(dir);
        writeFileSync(join(dir, 'filler.bin'), Buffer.alloc(Number(fs.bavail * fs.bsize)));
        // What statfs reports free and what tmpfs takes differ by a few pages: top up until it refuses.
        try {
          for (let i = 0; i < 64; i++) writeFileSync(join(dir, `filler-${i}.bin`), Buffer.alloc(4096));
        } catch {
          // full
        }
      },
      cleanup: () => {
        try {
          execFileSync('umount', [dir], { stdio: 'pipe' });
        } catch {
          execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
        }
        rmSync(dir, { recursive: true, force: true });
        rmSync(config, { recursive: true, force: true });
      },
    },
  };
}
