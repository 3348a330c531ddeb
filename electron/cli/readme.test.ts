/** README's command table is the CLI's own command list: a command added, renamed or redescribed without regenerating it fails here. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../../tests/tempWorkspace';

const ROOT = join(import.meta.dirname, '../..');
const SCRIPT = join(ROOT, 'scripts/cli-readme.mjs');
const BUILT = join(ROOT, 'dist/cli/benchtop.js');
const dirs = tempDirs('benchtop-cli-readme-');

const script = (args: string[]) => spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8' });

describe("README's command table", () => {
  beforeAll(() => {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`npm run build\` first (npm test does).`);
  });
  afterAll(() => dirs.cleanup());

  it('is the one made from the CLI command list (regenerate: node scripts/cli-readme.mjs)', () => {
    const r = script(['--check']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme.match(/^\| `benchtop builtin readlen /gm)).toHaveLength(1);
  });

  it('a table that differs is found, and regenerating it makes it current', () => {
    const copy = join(dirs.root, 'README.md');
    writeFileSync(copy, readFileSync(join(ROOT, 'README.md'), 'utf8').replace(/^\| `benchtop status \[--json\]` \|.*\n/m, ''));
    const stale = script(['--check', '--readme', copy]);
    expect(stale.status).toBe(1);
    expect(stale.stderr).toContain('regenerate it with `node scripts/cli-readme.mjs`');
    expect(script(['--readme', copy]).status).toBe(0);
    expect(readFileSync(copy, 'utf8')).toBe(readFileSync(join(ROOT, 'README.md'), 'utf8'));
  });
});
