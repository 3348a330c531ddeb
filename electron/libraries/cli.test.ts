import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../../tests/tempWorkspace';
import { plasmidGenbank } from '../demo/data/sequences';
import { openTestSession } from '../../tests/tempWorkspace';

const BIN = join(import.meta.dirname, '../../bin/benchtop.js');
const BUILT = join(import.meta.dirname, '../../dist/cli/benchtop.js');

const dirs = tempDirs('benchtop-libraries-cli-');
const data = join(dirs.root, 'data');

/** The real `benchtop` command from the build, with a private config dir. */
function benchtop(args: string[], workspace = dirs.workspace) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    cwd: data,
    env: { ...process.env, BENCHTOP_CONFIG_DIR: dirs.config, BENCHTOP_WORKSPACE: workspace },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function ok(args: string[], workspace?: string): string {
  const r = benchtop(args, workspace);
  expect(r.stderr, args.join(' ')).toBe('');
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

describe('benchtop libraries (built CLI)', () => {
  let libId = '';
  beforeAll(async () => {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`node scripts/build.mjs\` first (npm test does).`);
    mkdirSync(data, { recursive: true });
    writeFileSync(join(data, 'constructs.gb'), plasmidGenbank());
    // The spec is made through the API; the CLI lists, shows, exports and imports it.
    const session = openTestSession(dirs);
    try {
      const lib = await session.call('libraries.create', { spec: { lib_name: 'CLI panel', pore_type: 'R10.4.1' } });
      libId = String(lib.spec.lib_id);
      const imported = await session.call('libraries.importConstructs', { libId, path: join(data, 'constructs.gb') });
      await session.call('libraries.addRow', { libId, table: 'fragments', row: { construct_id: imported.ids[0]!, name: 'full', expected_len: 60 } });
    } finally {
      session.close();
    }
  });
  afterAll(() => dirs.cleanup());

  it('lists and shows specs, as text and as JSON', () => {
    const list = ok(['libraries', 'list']);
    expect(list).toMatch(new RegExp(`${libId}\\s+CLI panel\\s+1\\.0\\s+draft`));
    expect(JSON.parse(ok(['libraries', 'list', '--json']))).toEqual([expect.objectContaining({ lib_id: libId, constructs: 2, readOnly: false })]);
    const show = ok(['libraries', 'show', libId]);
    expect(show).toContain('Constructs (2):');
    expect(show).toMatch(/pTest\s+plasmid\s+60\s+16\.7 %\s+genbank\s+1/);
    expect(show).toContain('QC thresholds: mean Q ≥ 10, median Q ≥ 12, purity ≥ 0.8, error rate ≤ 0.1');
    expect(JSON.parse(ok(['libraries', 'show', libId, '--json'])).fragments[0]).toMatchObject({ name: 'full', len_tolerance: 150 });
  });

  it('exports to stdout and to files, and imports into another workspace with identical text', () => {
    const yaml = ok(['libraries', 'export', libId]);
    expect(yaml).toMatch(/^format: benchtop-library\nformat_version: 1\n/);
    ok(['libraries', 'export', libId, '--out', 'lib.yaml']);
    expect(readFileSync(join(data, 'lib.yaml'), 'utf8')).toBe(yaml);
    expect(JSON.parse(ok(['libraries', 'export', libId, '--out', 'lib.json', '--json']))).toEqual({ libId, format: 'json', path: join(data, 'lib.json') });
    const json = readFileSync(join(data, 'lib.json'), 'utf8');
    expect(JSON.parse(json).lib_id).toBe(libId);

    const other = join(dirs.root, 'other');
    expect(ok(['libraries', 'import', 'lib.yaml'], other)).toContain(`as library ${libId} (CLI panel 1.0): 2 construct(s), 1 fragment(s)`);
    expect(ok(['libraries', 'export', libId], other)).toBe(yaml);
    expect(ok(['libraries', 'export', libId, '--format', 'json'], other)).toBe(json);
  });

  it('fails with one clear line and exit 1', () => {
    const again = benchtop(['libraries', 'export', libId, '--out', 'lib.yaml']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^benchtop libraries export: .*lib\.yaml exists already/);
    writeFileSync(join(data, 'bad.yaml'), 'format: benchtop-library\nformat_version: 1\nlib_name: Bad\nconstructs:\n  - name: c\n    fragments:\n      - name: f\n        len_tolerance: -3\n');
    const bad = benchtop(['libraries', 'import', 'bad.yaml']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(`benchtop libraries import: ${join(data, 'bad.yaml')}: constructs[0].fragments[0].len_tolerance: must be at least 0, not -3.\n`);
    const missing = benchtop(['libraries', 'show', 'NOPE']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('benchtop libraries show: No library spec "NOPE".\n');
    expect(benchtop(['libraries', 'export', libId, '--format', 'xml']).stderr).toContain('--format is yaml or json');
  });
});
