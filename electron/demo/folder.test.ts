import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../../tests/tempWorkspace';
import { DEMO_MARKER, prepareDemoFolder } from './build';

const dirs = tempDirs('benchtop-demo-folder-');
afterAll(() => dirs.cleanup());

describe('the demo folder', () => {
  it('is built in a new or empty folder, which is marked as a demo being built', () => {
    const fresh = join(dirs.root, 'new');
    expect(prepareDemoFolder(fresh)).toEqual({ build: true });
    expect(JSON.parse(readFileSync(join(fresh, DEMO_MARKER), 'utf8'))).toEqual({ complete: false });
  });

  it('refuses a folder holding other files, and leaves them alone', () => {
    const someone = join(dirs.root, 'someone');
    mkdirSync(someone);
    writeFileSync(join(someone, 'notes.txt'), 'mine');
    expect(() => prepareDemoFolder(someone)).toThrow(`${someone} already holds files and is not a demo workspace`);
    expect(readFileSync(join(someone, 'notes.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(someone, DEMO_MARKER))).toBe(false);
  });

  it('empties a demo left half-built, and keeps a finished one as it is', () => {
    const half = join(dirs.root, 'half');
    prepareDemoFolder(half);
    writeFileSync(join(half, 'benchtop.db'), 'half-written');
    expect(prepareDemoFolder(half)).toEqual({ build: true });
    expect(existsSync(join(half, 'benchtop.db'))).toBe(false);

    const done = join(dirs.root, 'done');
    mkdirSync(done);
    const summary = { workspace: done, seconds: 9 };
    writeFileSync(join(done, DEMO_MARKER), JSON.stringify({ complete: true, summary }));
    writeFileSync(join(done, 'benchtop.db'), 'built');
    expect(prepareDemoFolder(done)).toEqual({ build: false, summary });
    expect(readFileSync(join(done, 'benchtop.db'), 'utf8')).toBe('built');
  });
});
