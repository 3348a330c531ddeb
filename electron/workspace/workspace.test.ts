import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSettings } from './settings';
import { resolveWorkspaceDir } from './resolve';
import { openTestSession, tempDirs } from '../../tests/tempWorkspace';

describe('workspace', () => {
  const dirs = tempDirs();
  afterEach(() => dirs.cleanup());

  it('creates the layout on first open', () => {
    const session = openTestSession(dirs);
    for (const sub of ['benchtop.db', 'reads', 'runs', 'references', 'steps', 'backups']) {
      expect(existsSync(join(dirs.workspace, sub)), sub).toBe(true);
    }
    session.close();
  });

  it('resolves flag before env before setting before default', () => {
    const config = dirs.config;
    expect(resolveWorkspaceDir({ flag: '/a', env: { BENCHTOP_WORKSPACE: '/b' }, configDir: config })).toEqual({ dir: '/a', source: 'flag' });
    expect(resolveWorkspaceDir({ env: { BENCHTOP_WORKSPACE: '/b' }, configDir: config })).toEqual({ dir: '/b', source: 'env' });
    mkdirSync(config, { recursive: true });
    writeFileSync(join(config, 'settings.json'), JSON.stringify({ workspace: '/c' }));
    expect(resolveWorkspaceDir({ env: {}, configDir: config })).toEqual({ dir: '/c', source: 'setting' });
    writeFileSync(join(config, 'settings.json'), '{not json');
    expect(resolveWorkspaceDir({ env: {}, configDir: config }).source).toBe('default');
  });

  it('switches workspace, remembers it, and refuses a non-empty folder that is not a workspace', async () => {
    const session = openTestSession(dirs);
    const seen: string[] = [];
    session.events.subscribe((e) => seen.push(e.name));
    const other = join(dirs.root, 'other');
    const info = await session.call('workspace.switch', { path: other });
    expect(info.path).toBe(other);
    expect(existsSync(join(other, 'benchtop.db'))).toBe(true);
    expect(readSettings(dirs.config).workspace).toBe(other);
    expect(seen).toEqual(['workspace.changed']);

    expect(await session.dispatch('workspace.switch', { path: 'relative/folder' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });

    const cluttered = join(dirs.root, 'photos');
    mkdirSync(cluttered);
    writeFileSync(join(cluttered, 'holiday.jpg'), 'x');
    const refused = await session.dispatch('workspace.switch', { path: cluttered });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(existsSync(join(cluttered, 'benchtop.db'))).toBe(false);
    expect(session.workspace.layout.path).toBe(other);
    session.close();
  });
});

describe('a workspace path that is a file', () => {
  it('is refused with a message naming it', () => {
    const dirs = tempDirs();
    mkdirSync(dirs.root, { recursive: true });
    writeFileSync(join(dirs.root, 'notes.txt'), 'x');
    expect(() => openTestSession({ workspace: join(dirs.root, 'notes.txt'), config: dirs.config })).toThrow(`${join(dirs.root, 'notes.txt')} is a file, not a folder`);
    dirs.cleanup();
  });
});
