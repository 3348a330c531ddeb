/**
 * `--json` means stdout is exactly one JSON document, for every command that takes it. Every such
 * command of the CLI's own command list is run here, from the build, on a workspace holding real
 * data: a run from small FASTQ files with a step run on it, a library, discovered MinKNOW runs, a
 * registered and an ingested BAM. A command that takes --json and has no case below fails the test.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../../tests/tempWorkspace';
import { generateMinknowTree } from '../demo/data/minknow';
import { writeLegacyDb } from '../../tests/fixtures/legacy';
import { randomSeq, rng, writeBam, writeFasta } from '../demo/data/smaReads';
import { commandList } from './main';

const BIN = join(import.meta.dirname, '../../bin/benchtop.js');
const BUILT = join(import.meta.dirname, '../../dist/cli/benchtop.js');

const dirs = tempDirs('benchtop-json-');
const data = join(dirs.root, 'data');
const env = () => ({ ...process.env, BENCHTOP_CONFIG_DIR: dirs.config, BENCHTOP_WORKSPACE: dirs.workspace });

function benchtop(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: data, env: env(), timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a command with --json: it succeeds, and its stdout is one JSON document and a newline. */
function json(args: string[]): Record<string, unknown> {
  const r = benchtop([...args, '--json']);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  expect(r.stdout.endsWith('}\n') || r.stdout.endsWith(']\n'), `${args.join(' ')} ends its JSON with a newline:\n${r.stdout}`).toBe(true);
  const value = JSON.parse(r.stdout) as unknown;
  return (Array.isArray(value) ? { items: value } : value) as Record<string, unknown>;
}

function fastq(file: string, seed: number): void {
  const rand = rng(seed);
  const records = Array.from({ length: 50 }, (_, i) => {
    const seq = randomSeq(rand, 40 + (i % 20));
    return `@read${i}\n${seq}\n+\n${'I'.repeat(seq.length)}\n`;
  });
  writeFileSync(file, records.join(''));
}

/** A workspace step that waits, so a job is running when it is killed. */
const WAIT_STEP = {
  id: 'wait',
  name: 'Wait',
  description: 'Sleeps, so a job is running while the test kills it',
  version: '1',
  tools: [{ name: 'sleep', versionArgs: ['--version'], debian: 'coreutils', conda: null }],
  inputs: [{ name: 'r1', label: 'Read 1', sources: ['input:R1'] }],
  outputs: [{ name: 'out', label: 'Output', path: 'out.txt' }],
  parameters: { type: 'object', additionalProperties: false, properties: {} },
  command: ['{tool.sleep}', '300'],
};

/** Each command's invocation (by its words) and keys its document must have; run in this order. */
type Case = { words: string; args: () => string[]; keys: string[]; then?: (doc: Record<string, unknown>) => void };

const ids = { run: '', imported: '', job: '', waitJob: '', lib: '', exp: '', backup: '' };
const tree: Record<string, string> = {};

const CASES: Case[] = [
  { words: 'init', args: () => ['init'], keys: ['workspace', 'created', 'tables', 'lookupRows'] },
  {
    words: 'runs create',
    args: () => ['runs', 'create', '--name', 'JSON run', '--input', 'R1=r1.fastq', '--input', 'R2=r2.fastq', '--pipeline', 'qslam'],
    keys: ['id', 'name', 'inputs', 'dir'],
    then: (doc) => (ids.run = String(doc.id)),
  },
  {
    words: 'runs start',
    args: () => ['runs', 'start', ids.run, 'readlen', '--wait'],
    keys: ['id', 'status', 'step', 'attempt'],
    then: (doc) => {
      expect(doc.status).toBe('completed');
      ids.job = String(doc.id);
    },
  },
  { words: 'runs list', args: () => ['runs', 'list'], keys: ['runs', 'total'] },
  { words: 'runs show', args: () => ['runs', 'show', ids.run], keys: ['id', 'inputs', 'params', 'jobs'] },
  { words: 'runs export', args: () => ['runs', 'export', ids.run, '--out', 'run.json'], keys: ['path'] },
  {
    words: 'runs import',
    args: () => ['runs', 'import', 'run.json', '--input', 'R1=r1.fastq', '--input', 'R2=r2.fastq'],
    keys: ['id', 'inputs'],
    then: (doc) => (ids.imported = String(doc.id)),
  },
  { words: 'runs clean', args: () => ['runs', 'clean', ids.imported], keys: ['deletedFiles', 'deletedBytes'] },
  { words: 'runs delete', args: () => ['runs', 'delete', ids.imported, '--yes'], keys: ['deletedFiles', 'deletedBytes'] },
  { words: 'jobs show', args: () => ['jobs', 'show', ids.job], keys: ['id', 'runId', 'argv', 'exitCode'] },
  {
    words: 'jobs logs',
    args: () => ['jobs', 'logs', ids.job, '--follow'],
    keys: ['id', 'status', 'log'],
    then: (doc) => expect(doc.log).toMatch(/\S/),
  },
  { words: 'steps trust', args: () => ['steps', 'trust', '--yes'], keys: ['workspace', 'hash', 'trusted', 'definitions'], then: (doc) => expect(doc.trusted).toBe(true) },
  { words: 'steps list', args: () => ['steps', 'list'], keys: ['steps', 'errors'] },
  {
    words: 'jobs kill',
    args: () => {
      const started = json(['runs', 'start', ids.run, 'wait']);
      ids.waitJob = String(started.id);
      return ['jobs', 'kill', ids.waitJob];
    },
    keys: ['id', 'status'],
  },
  { words: 'tools', args: () => ['tools'], keys: ['items'] },
  {
    words: 'tools set-path',
    args: () => ['tools', 'set-path', 'samtools', spawnSync('sh', ['-c', 'command -v samtools'], { encoding: 'utf8' }).stdout.trim()],
    keys: ['name', 'found', 'path', 'custom'],
  },
  {
    words: 'libraries import',
    args: () => ['libraries', 'import', 'lib.yaml'],
    keys: ['spec', 'constructs', 'fragments'],
    then: (doc) => (ids.lib = String((doc.spec as { lib_id: string }).lib_id)),
  },
  { words: 'libraries list', args: () => ['libraries', 'list'], keys: ['items'] },
  { words: 'libraries show', args: () => ['libraries', 'show', ids.lib], keys: ['spec', 'constructs', 'barcodes', 'versions'] },
  { words: 'libraries export', args: () => ['libraries', 'export', ids.lib], keys: ['libId', 'format', 'text'], then: (doc) => expect(doc.text).toMatch(/^format: benchtop-library/) },
  { words: 'qc', args: () => ['qc', 'r1.fastq'], keys: ['file', 'format', 'metrics'] },
  {
    words: 'discover',
    args: () => ['discover', join(data, 'minknow')],
    keys: ['scanId', 'state', 'runsFound', 'experiments'],
    then: (doc) => (ids.exp = String((doc.experiments as { expId: string }[])[0]!.expId)),
  },
  { words: 'experiments list', args: () => ['experiments', 'list'], keys: ['items'] },
  { words: 'experiments show', args: () => ['experiments', 'show', ids.exp], keys: ['expId', 'basecalls', 'warnings'] },
  { words: 'experiments migrate', args: () => ['experiments', 'migrate', 'legacy.db', '--dry-run'], keys: ['found', 'rows', 'dryRun'] },
  {
    words: 'basecalls register',
    args: () => ['basecalls', 'register', 'EXPB_hac_v5.0.0_trim0_0.bam', '--create-experiment'],
    keys: ['runId', 'expId', 'bamPath', 'status'],
  },
  { words: 'pending-sma', args: () => ['pending-sma'], keys: ['runs'] },
  {
    words: 'ingest',
    args: () => ['ingest', '--exp', 'EXPB', '--run', 'EXPB_hac_v5.0.0_trim0_0', '--bam', 'EXPB_hac_v5.0.0_trim0_0.bam', '--ref', 'targets.fa'],
    keys: ['run_id', 'total_reads', 'matched_reads', 'readsDb'],
  },
  { words: 'status', args: () => ['status'], keys: ['workspace', 'experiments', 'runs', 'jobs', 'pendingSma'] },
  { words: 'db backup', args: () => ['db', 'backup'], keys: ['path', 'bytes'], then: (doc) => (ids.backup = String(doc.path)) },
  { words: 'db backups', args: () => ['db', 'backups'], keys: ['backups', 'policy'] },
  { words: 'db restore', args: () => ['db', 'restore', ids.backup, '--yes'], keys: ['restored', 'from', 'preRestore'] },
];

describe('--json: stdout is exactly one JSON document', () => {
  beforeAll(() => {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`npm run build\` first (npm test does).`);
    mkdirSync(join(data, 'minknow'), { recursive: true });
    fastq(join(data, 'r1.fastq'), 1);
    fastq(join(data, 'r2.fastq'), 2);
    Object.assign(tree, generateMinknowTree(join(data, 'minknow')));
    writeLegacyDb(join(data, 'legacy.db'), [[1, tree.complete, null, 'P2S-01234-A', 'PAW12345', 'plasmid_A', null, '2024-01-15', 3]]);
    writeFileSync(join(data, 'lib.yaml'), 'format: benchtop-library\nformat_version: 1\nlib_name: JSON panel\nconstructs:\n  - name: c1\n    fragments:\n      - name: f1\n        expected_len: 60\n');
    const rand = rng(7);
    const target = randomSeq(rand, 300);
    writeFasta(join(data, 'targets.fa'), [['t1', target]]);
    writeBam(join(data, 'EXPB_hac_v5.0.0_trim0_0.bam'), Array.from({ length: 20 }, (_, i) => ({ name: `r${i}`, seq: target, qual: Array<number>(300).fill(20) })));
    mkdirSync(join(dirs.workspace, 'steps'), { recursive: true });
    writeFileSync(join(dirs.workspace, 'steps', 'wait.json'), JSON.stringify(WAIT_STEP));
  });
  afterAll(() => dirs.cleanup());

  const jsonCommands = commandList().filter((c) => c.json).map((c) => c.words.join(' '));

  it('every command that takes --json has a case here', () => {
    // serve: its own test below; demo: e2e/demo.spec.ts parses its --json (it builds a whole workspace, real tools and all).
    const covered = new Set([...CASES.map((c) => c.words), 'serve', 'demo']);
    expect(jsonCommands.filter((w) => !covered.has(w))).toEqual([]);
    expect(CASES.map((c) => c.words).filter((w) => !jsonCommands.includes(w))).toEqual([]);
  });

  it.each(CASES)('benchtop $words --json', (c) => {
    const doc = json(c.args());
    for (const key of c.keys) expect(doc, `benchtop ${c.words} --json has "${key}"`).toHaveProperty(key);
    c.then?.(doc);
  });

  it('runs start --wait --json puts the log and the outcome on stderr', () => {
    const r = benchtop(['runs', 'start', ids.run, 'readlen', '--wait', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ step: 'readlen', status: 'completed' });
    expect(r.stderr).toMatch(/^Job \d+ \(readlen, attempt \d+\) completed\.$/m);
    expect(benchtop(['runs', 'start', ids.run, 'readlen', '--wait']).stdout).toMatch(/^Job \d+ \(readlen, attempt \d+\) completed\.$/m);
  });

  it('benchtop serve --json prints its address as one document, its notes on stderr', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--json'], { cwd: data, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const doc = await new Promise<Record<string, unknown>>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.endsWith('}\n')) resolve(JSON.parse(stdout) as Record<string, unknown>);
      });
      child.on('exit', () => reject(new Error(`serve ended: ${stderr}`)));
    });
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(doc).toMatchObject({ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/#/), workspace: dirs.workspace, readOnly: null });
    expect(JSON.parse(stdout)).toEqual(doc);
    expect(stderr).toContain('Press Ctrl-C to stop.');
  });

  it('help and version answer in JSON too; a command that prints a log refuses --json', () => {
    const help = json(['--help']);
    expect(help.commands).toEqual(commandList());
    expect(json(['status', '--help'])).toMatchObject({ words: ['status'], json: true });
    expect(json(['--version'])).toHaveProperty('version');
    const refused = commandList().filter((c) => !c.json);
    expect(refused.map((c) => c.words[0])).toEqual(refused.map(() => 'builtin'));
    for (const c of refused) {
      const r = benchtop([...c.words, '--json']);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(new RegExp(`^benchtop ${c.words.join(' ')} does not take --json: `));
    }
  });
});
