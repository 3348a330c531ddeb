import { mkdirSync, realpathSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/errors';
import type { RunDetail } from '../../shared/schemas/runs';
import type { Session } from '../api/session';
import { openTestSession, tempDirs } from '../../tests/tempWorkspace';
import { createRun, getRun, listRunFiles, readRunText, resolveInRun } from './index';

let dirs: ReturnType<typeof tempDirs>;
let session: Session;
let data: string;
let run: RunDetail;
let other: RunDetail;
let linkedSource: string;

function refused(rel: string, inputs = run.inputs, code = 'outside_workspace'): ApiError {
  let error: unknown;
  try {
    resolveInRun(session.workspace.layout, run.id, rel, inputs);
  } catch (err) {
    error = err;
  }
  expect(error, rel).toBeInstanceOf(ApiError);
  expect((error as ApiError).code, rel).toBe(code);
  return error as ApiError;
}

beforeEach(async () => {
  dirs = tempDirs('benchtop-runfiles-');
  session = openTestSession(dirs);
  data = join(dirs.root, 'data');
  mkdirSync(data);
  linkedSource = join(data, 'outside_R1.fastq');
  writeFileSync(linkedSource, '@r1\nACGT\n+\nIIII\n');
  writeFileSync(join(data, 'R2.fastq'), '@r2\nTTTT\n+\nIIII\n');
  run = await createRun(session.workspace, {
    name: 'Files',
    mode: 'link',
    inputs: [{ role: 'R1', path: linkedSource }],
  });
  other = await createRun(session.workspace, { name: 'Other', inputs: [{ role: 'R2', path: join(data, 'R2.fastq') }] });
  mkdirSync(join(run.dir, 'site_analysis'));
  writeFileSync(join(run.dir, 'site_analysis', 'peaks.tsv'), 'chr\tstart\tend\nchr1\t100\t200\n');
  writeFileSync(join(run.dir, 'site_analysis', 'results.json'), JSON.stringify({ ok: true }));
});

afterEach(() => {
  session.close();
  dirs.cleanup();
});

describe('resolveInRun', () => {
  it('resolves paths inside the run to real paths', () => {
    const layout = session.workspace.layout;
    const real = realpathSync(run.dir);
    expect(resolveInRun(layout, run.id, 'site_analysis/peaks.tsv')).toBe(join(real, 'site_analysis', 'peaks.tsv'));
    expect(resolveInRun(layout, run.id, './site_analysis//peaks.tsv')).toBe(join(real, 'site_analysis', 'peaks.tsv'));
    expect(resolveInRun(layout, run.id, '')).toBe(real);
    // not there yet: resolved through its existing parent (an output to be written)
    expect(resolveInRun(layout, run.id, 'cutadapt/R1.trimmed.fastq.gz')).toBe(join(real, 'cutadapt', 'R1.trimmed.fastq.gz'));
    // a link inside the run to another file of the run is fine
    symlinkSync(join(run.dir, 'site_analysis', 'peaks.tsv'), join(run.dir, 'peaks-link.tsv'));
    expect(resolveInRun(layout, run.id, 'peaks-link.tsv')).toBe(join(real, 'site_analysis', 'peaks.tsv'));
  });

  it('refuses .., absolute paths and NUL', () => {
    expect(refused('../x').message).toContain('"../x"');
    refused('/etc/passwd');
    refused('rawdata/../../other');
    refused(`../${other.id}/rawdata/R2.fastq`);
    refused('site_analysis/..');
    refused('..\\x');
    refused('C:\\Windows\\win.ini');
    refused('rawdata/a\0b');
  });

  it('refuses a symlink planted in the run that leads outside it', () => {
    symlinkSync('/etc', join(run.dir, 'etc'));
    symlinkSync('/etc/passwd', join(run.dir, 'rawdata', 'passwd'));
    symlinkSync(other.dir, join(run.dir, 'neighbour'));
    symlinkSync(join(dirs.root, 'nowhere'), join(run.dir, 'dangling'));
    expect(refused('etc/passwd').message).toContain('etc/passwd');
    refused('etc');
    refused('rawdata/passwd');
    refused('neighbour/rawdata/R2.fastq');
    refused('dangling'); // writing through it would escape
    refused('dangling/new-file');
  });

  it("refuses reading the run's own linked input back, saying it is a linked input", () => {
    const input = run.inputs[0]!;
    expect(input.mode).toBe('link');
    // A link to the user's file outside the run: never followed when reading the run's files back.
    expect(refused(input.path).message).toContain(`${input.path} is a linked input`);
    expect(refused(input.path).message).toContain(linkedSource);
    // without the run's inputs, the link leaves the run like any other
    expect(refused(input.path, []).message).toContain("leads outside run");
    // the link swapped for one to somewhere else: refused the same way
    const linkFile = join(run.dir, input.path);
    unlinkSync(linkFile);
    symlinkSync('/etc/passwd', linkFile);
    refused(input.path);
    // the original gone: said so
    unlinkSync(linkFile);
    symlinkSync(linkedSource, linkFile);
    rmSync(linkedSource);
    expect(refused(input.path, run.inputs, 'not_found').message).toContain('no longer exists');
  });

  it('refuses a run id that could leave runs/', () => {
    expect(() => resolveInRun(session.workspace.layout, '../x', 'a')).toThrow(ApiError);
    expect(() => resolveInRun(session.workspace.layout, 'no-such-run', 'a')).toThrow(/no folder/);
  });
});

describe('runs.files and runs.readText', () => {
  it('lists the run folder one level or recursively, with sizes and kinds', async () => {
    const top = await listRunFiles(session.workspace, run.id);
    expect(top.files.map((f) => [f.path, f.kind])).toEqual([
      ['logs', 'dir'],
      ['rawdata', 'dir'],
      ['site_analysis', 'dir'],
    ]);
    const all = await session.call('runs.files', { id: run.id, recursive: true });
    expect(all.files.map((f) => f.path)).toEqual([
      'logs',
      'rawdata',
      'rawdata/outside_R1.fastq',
      'site_analysis',
      'site_analysis/peaks.tsv',
      'site_analysis/results.json',
    ]);
    expect(all.files.find((f) => f.path === 'rawdata/outside_R1.fastq')).toMatchObject({ kind: 'file', bytes: 16 });
    const sub = await session.call('runs.files', { id: run.id, dir: 'site_analysis' });
    expect(sub.files.map((f) => f.path)).toEqual(['site_analysis/peaks.tsv', 'site_analysis/results.json']);
    const limited = await session.call('runs.files', { id: run.id, recursive: true, limit: 2 });
    expect(limited).toMatchObject({ truncated: true });
    expect(limited.files).toHaveLength(2);
    // a planted link is listed but never followed
    symlinkSync('/etc', join(run.dir, 'etc'));
    const withLink = await listRunFiles(session.workspace, run.id, { recursive: true });
    expect(withLink.files.find((f) => f.path === 'etc')).toMatchObject({ bytes: 0 });
    expect(withLink.files.some((f) => f.path.startsWith('etc/'))).toBe(false);
    expect(await session.dispatch('runs.files', { id: run.id, dir: '../' })).toMatchObject({ ok: false, error: { code: 'outside_workspace' } });
    expect(await session.dispatch('runs.files', { id: run.id, dir: 'etc' })).toMatchObject({ ok: false, error: { code: 'outside_workspace' } });
  });

  it('reads the bounded start of a text file', async () => {
    const whole = await readRunText(session.workspace, run.id, 'site_analysis/peaks.tsv');
    expect(whole).toEqual({ path: 'site_analysis/peaks.tsv', text: 'chr\tstart\tend\nchr1\t100\t200\n', bytes: 27, truncated: false });
    const head = await session.call('runs.readText', { id: run.id, path: 'site_analysis/peaks.tsv', maxBytes: 4 });
    expect(head).toMatchObject({ text: 'chr\t', bytes: 27, truncated: true });
    // a character cut at the limit is held back, not mangled
    writeFileSync(join(run.dir, 'utf8.txt'), 'aé');
    expect((await readRunText(session.workspace, run.id, 'utf8.txt', 2)).text).toBe('a');
    expect(await session.dispatch('runs.readText', { id: run.id, path: run.inputs[0]!.path })).toMatchObject({ ok: false, error: { code: 'outside_workspace' } });
    writeFileSync(join(run.dir, 'binary.bin'), Buffer.from([1, 0, 2]));
    expect(await session.dispatch('runs.readText', { id: run.id, path: 'binary.bin' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await session.dispatch('runs.readText', { id: run.id, path: '../../benchtop.db' })).toMatchObject({ ok: false, error: { code: 'outside_workspace' } });
    expect(await session.dispatch('runs.readText', { id: run.id, path: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'outside_workspace' } });
    symlinkSync('/etc/passwd', join(run.dir, 'passwd'));
    expect(await session.dispatch('runs.readText', { id: run.id, path: 'passwd' })).toMatchObject({ ok: false, error: { code: 'outside_workspace' } });
    expect(await session.dispatch('runs.readText', { id: run.id, path: 'missing.txt' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await session.dispatch('runs.readText', { id: run.id, path: 'site_analysis' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('a cleaned run lists no files', async () => {
    await session.call('runs.clean', { id: run.id });
    expect((await session.call('runs.files', { id: run.id })).files).toEqual([]);
    expect(getRun(session.workspace, run.id).cleanedAt).not.toBeNull();
  });
});
