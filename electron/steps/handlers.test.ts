import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestSession, tempDirs } from '../../tests/tempWorkspace';
import type { Session } from '../api/session';
import { main } from '../cli/main';
import { goodDefinition } from './testing';

let dirs: ReturnType<typeof tempDirs>;
let session: Session;
let fakeAlign: string;

beforeEach(() => {
  dirs = tempDirs('benchtop-steps-ops-');
  session = openTestSession(dirs);
  const stepsDir = session.workspace.layout.stepsDir;
  mkdirSync(stepsDir, { recursive: true });
  writeFileSync(
    join(stepsDir, 'aligner.json'),
    JSON.stringify(goodDefinition('aligner', { tools: [{ name: 'fakealign', versionArgs: ['-v'], debian: 'fakealign-deb', conda: 'bioconda::fakealign' }], command: ['{tool.fakealign}', '{inputs.r1}'] })),
  );
  writeFileSync(join(stepsDir, 'broken.json'), '{ "id": ');
  fakeAlign = join(dirs.root, 'bin', 'fakealign');
  mkdirSync(join(dirs.root, 'bin'));
  writeFileSync(fakeAlign, '#!/bin/sh\necho "fakealign version 3.1.4"\n');
  chmodSync(fakeAlign, 0o755);
});
afterEach(() => {
  session.close();
  dirs.cleanup();
});

const ok = async (op: string, request: unknown) => {
  const r = await session.dispatch(op, request);
  if (!r.ok) throw new Error(`${op}: ${r.error.code}: ${r.error.message}`);
  return r.value as never;
};

describe('steps and tools operations', () => {
  it('steps.list: built-in and workspace steps, and the files that failed', async () => {
    const catalog = (await ok('steps.list', {})) as { steps: Array<{ id: string; source: string }>; errors: Array<{ file: string; message: string }> };
    const ids = catalog.steps.map((s) => `${s.source}:${s.id}`);
    expect(ids).toEqual(expect.arrayContaining(['builtin:qc', 'builtin:cutadapt', 'builtin:fastp', 'user:aligner']));
    expect(catalog.errors).toContainEqual({ file: join(session.workspace.layout.stepsDir, 'broken.json'), message: expect.stringMatching(/^not valid JSON/) });
  });

  it('tools.list / setPath / refresh: a missing tool, a custom path saved in settings, cleared again', async () => {
    const tools = (await ok('tools.list', {})) as Array<{ name: string; found: boolean; requiredBy: string[]; install: unknown; version: string | null }>;
    expect(tools.find((t) => t.name === 'cutadapt')).toMatchObject({ found: true, requiredBy: ['cutadapt'] });
    expect(tools.find((t) => t.name === 'fastqc')?.version).toMatch(/^\d+\.\d+/);
    expect(tools.find((t) => t.name === 'fakealign')).toMatchObject({ found: false, requiredBy: ['aligner'], install: { debian: 'fakealign-deb', conda: 'bioconda::fakealign' } });
    // The workspace's own definition is not trusted yet: no custom path for its tool either.
    const untrusted = await session.dispatch('tools.setPath', { name: 'fakealign', path: fakeAlign });
    expect(untrusted).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining('until you trust the workspace') } });
    await ok('steps.trust', { hash: ((await ok('steps.trustState', {})) as { hash: string }).hash });

    const set = await ok('tools.setPath', { name: 'fakealign', path: fakeAlign });
    expect(set).toMatchObject({ name: 'fakealign', found: true, custom: true, path: fakeAlign, version: '3.1.4', error: null });
    const settings = JSON.parse(readFileSync(join(dirs.config, 'settings.json'), 'utf8')) as { toolPaths: Record<string, string>; workspace?: string };
    expect(settings.toolPaths).toEqual({ fakealign: fakeAlign });

    // persisted: a new session (another door) sees it
    session.close();
    session = openTestSession(dirs);
    const again = (await ok('tools.refresh', {})) as Array<{ name: string; custom: boolean; version: string | null }>;
    expect(again.find((t) => t.name === 'fakealign')).toMatchObject({ custom: true, version: '3.1.4' });

    const bad = await session.dispatch('tools.setPath', { name: 'fakealign', path: join(dirs.root, 'nope') });
    expect(bad).toEqual({ ok: false, error: { code: 'invalid_request', message: `tools.setPath: fakealign: ${join(dirs.root, 'nope')} does not exist; choose an executable file.` } });
    const dirPath = await session.dispatch('tools.setPath', { name: 'fakealign', path: dirs.root });
    expect(dirPath.ok ? '' : dirPath.error.message).toContain('is not a file');
    const unknown = await session.dispatch('tools.setPath', { name: 'nosuchtool', path: fakeAlign });
    expect(unknown.ok ? null : unknown.error.code).toBe('not_found');
    const malformed = await session.dispatch('tools.setPath', { name: '../x', path: fakeAlign });
    expect(malformed.ok ? null : malformed.error.code).toBe('invalid_request');

    const cleared = await ok('tools.setPath', { name: 'fakealign', path: null });
    expect(cleared).toMatchObject({ found: false, custom: false });
    expect(JSON.parse(readFileSync(join(dirs.config, 'settings.json'), 'utf8')).toolPaths).toEqual({});
    const audit = session.workspace.db.prepare("SELECT entity_id, details FROM audit_log WHERE action = 'tools.setPath' ORDER BY id").all();
    expect(audit).toEqual([
      { entity_id: 'fakealign', details: JSON.stringify({ path: fakeAlign }) },
      { entity_id: 'fakealign', details: JSON.stringify({ path: null }) },
    ]);
  });
});

const collect = (into: string[]) => (line: string) => {
  into.push(line);
  return true;
};

describe('benchtop tools', () => {
  it('lists the tools, says how to install a missing one, and sets a path', async () => {
    const saved = process.env.BENCHTOP_CONFIG_DIR;
    process.env.BENCHTOP_CONFIG_DIR = dirs.config;
    try {
      const lines: string[] = [];
      expect(await main(['tools', '--workspace', dirs.workspace], collect(lines))).toBe(0);
      const text = lines.join('\n');
      expect(text).toMatch(/^Tool\s+Status\s+Version\s+Path/);
      expect(text).toMatch(/\ncutadapt\s+found\s+\d+\.\d+\s+\/\S*cutadapt/);
      expect(text).toMatch(/\nfakealign\s+MISSING\s+—\s+—/);
      expect(text).toContain('Install it with: sudo apt install fakealign-deb   or   conda install bioconda::fakealign');

      const json: string[] = [];
      expect(await main(['steps', 'trust', '--yes', '--workspace', dirs.workspace], collect([]))).toBe(0);
      expect(await main(['tools', 'set-path', 'fakealign', fakeAlign, '--json', '--workspace', dirs.workspace], collect(json))).toBe(0);
      expect(JSON.parse(json.join('\n'))).toMatchObject({ name: 'fakealign', found: true, version: '3.1.4' });
      const listed: string[] = [];
      expect(await main(['tools', '--json', '--workspace', dirs.workspace], collect(listed))).toBe(0);
      expect((JSON.parse(listed.join('\n')) as Array<{ name: string; path: string }>).find((t) => t.name === 'fakealign')?.path).toBe(fakeAlign);
    } finally {
      if (saved === undefined) delete process.env.BENCHTOP_CONFIG_DIR;
      else process.env.BENCHTOP_CONFIG_DIR = saved;
    }
  });

  const built = join(import.meta.dirname, '../../dist/cli/benchtop.js');
  it.skipIf(!existsSync(built))('the built CLI finds resources/steps from dist/', () => {
    const r = spawnSync(process.execPath, [join(import.meta.dirname, '../../bin/benchtop.js'), 'tools', '--json', '--workspace', dirs.workspace], {
      encoding: 'utf8',
      cwd: dirs.root,
      env: { ...process.env, BENCHTOP_CONFIG_DIR: dirs.config, BENCHTOP_WORKSPACE: '' },
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const names = (JSON.parse(r.stdout) as Array<{ name: string }>).map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['cutadapt', 'fastp', 'fastqc', 'fakealign']));
  });
});
