import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mountTmpfs, type TestMount } from '../../tests/mounts';

const BIN = join(import.meta.dirname, '../../bin/benchtop.js');
const BUILT = join(import.meta.dirname, '../../dist/cli/benchtop.js');

const probe = mountTmpfs(1024 * 1024);
probe.mount?.cleanup();
if (probe.skip) console.log(probe.skip);

function benchtop(mount: TestMount, args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args, '--workspace', mount.workspace], {
    encoding: 'utf8',
    env: { ...process.env, BENCHTOP_CONFIG_DIR: mount.config, BENCHTOP_WORKSPACE: '' },
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `benchtop serve` until it prints its address (or exits); then stopped with SIGTERM. */
function serveOutput(mount: TestMount): Promise<{ stdout: string; stderr: string; code: number | null; signal: string | null }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--workspace', mount.workspace], {
    env: { ...process.env, BENCHTOP_CONFIG_DIR: mount.config, BENCHTOP_WORKSPACE: '' },
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGTERM'), 20_000);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (/Press Ctrl-C/.test(stdout)) setTimeout(() => child.kill('SIGTERM'), 200);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code, signal });
    });
  });
}

describe.skipIf(probe.skip !== null)('benchtop on a full disk', () => {
  let mount: TestMount | null = null;
  let outside = '';
  beforeAll(() => {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`npm run build\` first (npm test does).`);
  });
  afterEach(() => {
    mount?.cleanup();
    mount = null;
    if (outside) rmSync(outside, { recursive: true, force: true });
  });

  function fullWorkspace(): TestMount {
    const made = mountTmpfs(16 * 1024 * 1024);
    if (!made.mount) throw new Error(made.skip);
    expect(benchtop(made.mount, ['init']).code).toBe(0);
    made.mount.fill();
    return made.mount;
  }

  it('status starts, read-only, and says the disk is full', () => {
    mount = fullWorkspace();
    const json = benchtop(mount, ['status', '--json']);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ workspace: mount.workspace, readOnly: true, readOnlyReason: 'the disk is full' });
    const human = benchtop(mount, ['status']);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('This workspace is read-only (the disk is full): it can be browsed, not changed.');
  });

  it('a change is refused naming the database and saying the disk is full', () => {
    mount = fullWorkspace();
    outside = mkdtempSync(join(tmpdir(), 'benchtop-import-'));
    const file = join(outside, 'lib.yaml');
    writeFileSync(file, 'format: benchtop-library\nformat_version: 1\nlib_id: LIB1\nlib_name: panel\n');
    const result = benchtop(mount, ['libraries', 'import', file]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`This workspace is read-only (the disk is full): the database ${join(mount.workspace, 'benchtop.db')} cannot be changed.`);
  });

  it('serve starts and says the workspace is read-only', async () => {
    mount = fullWorkspace();
    const served = await serveOutput(mount);
    expect(served.stdout).toMatch(/Benchtop is serving http:\/\/127\.0\.0\.1:\d+\//);
    expect(served.stdout).toContain('This workspace is read-only (the disk is full)');
    expect({ code: served.code, signal: served.signal, stderr: served.stderr }).toEqual({ code: 0, signal: null, stderr: '' });
  });
});

/** Root may write anywhere: the folder's permissions only stop another user, `nobody` here. */
const asNobody = process.getuid?.() === 0 && existsSync('/usr/sbin/runuser') ? null : 'not root, or no runuser: the permission test is skipped';
if (asNobody) console.log(asNobody);

describe.skipIf(asNobody !== null)('benchtop on a workspace the user may not write', () => {
  const root = mkdtempSync(join(tmpdir(), 'benchtop-perm-'));
  const workspace = join(root, 'workspace');
  afterEach(() => {
    chmodSync(root, 0o755);
    rmSync(root, { recursive: true, force: true });
  });

  it('status opens it read-only and says why', () => {
    expect(spawnSync(process.execPath, [BIN, 'init', '--workspace', workspace], { env: { ...process.env, BENCHTOP_CONFIG_DIR: join(root, 'config') } }).status).toBe(0);
    spawnSync('chmod', ['-R', 'a+rX,a-w', root]);
    const result = spawnSync('/usr/sbin/runuser', ['-u', 'nobody', '--', process.execPath, BIN, 'status', '--json', '--workspace', workspace], {
      encoding: 'utf8',
      env: { ...process.env, BENCHTOP_CONFIG_DIR: join(root, 'no-config'), BENCHTOP_WORKSPACE: '' },
      timeout: 30_000,
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ readOnly: true, readOnlyReason: `you may not write to ${workspace}` });
  });
});
