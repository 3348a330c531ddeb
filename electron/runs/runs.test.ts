import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/errors';
import type { RunExport } from '../../shared/schemas/runs';
import type { Session } from '../api/session';
import { openTestSession, tempDirs } from '../../tests/tempWorkspace';
import {
  cleanRun,
  createRun,
  deleteRun,
  exportRun,
  getRun,
  getStepParams,
  importRun,
  listRuns,
  setRunState,
  setStepParams,
} from './index';

let dirs: ReturnType<typeof tempDirs>;
let session: Session;
let data: string;

function sha256sum(file: string): string {
  return execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0] ?? '';
}

function fastq(name: string, reads: number): string {
  const lines: string[] = [];
  for (let i = 0; i < reads; i++) {
    const seq = Array.from({ length: 50 }, (_, j) => 'ACGT'[(i * 7 + j * 3) % 4]).join('');
    lines.push(`@read${i}`, seq, '+', 'I'.repeat(50));
  }
  const file = join(data, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

async function expectApiError(promise: Promise<unknown> | (() => unknown), code: string, message?: RegExp): Promise<ApiError> {
  let error: unknown;
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(ApiError);
  expect((error as ApiError).code).toBe(code);
  if (message) expect((error as ApiError).message).toMatch(message);
  return error as ApiError;
}

function runFolders(): string[] {
  return readdirSync(session.workspace.layout.runsDir);
}

function audit(id: string): { action: string; details: string | null }[] {
  return session.workspace.db.prepare('SELECT action, details FROM audit_log WHERE entity_id = ? ORDER BY id').all(id) as never;
}

function insertJob(runId: string, step: string, attempt: number, status: string): void {
  session.workspace.db
    .prepare(
      `INSERT INTO jobs (run_id, step_name, attempt, status, argv, tool, tool_version, started_at, completed_at, exit_code, log_file)
       VALUES (?, ?, ?, ?, ?, 'cutadapt', '4.4', '2025-01-31 10:00:00', '2025-01-31 10:02:05', 0, ?)`,
    )
    .run(runId, step, attempt, status, JSON.stringify(['cutadapt', '-e', '0.3']), `logs/${step}-${attempt}.log`);
}

beforeEach(() => {
  dirs = tempDirs('benchtop-runs-');
  session = openTestSession(dirs);
  data = join(dirs.root, 'data');
  mkdirSync(data);
});

afterEach(() => {
  session.close();
  dirs.cleanup();
});

describe('createRun', () => {
  it('copies inputs into rawdata/ with their size and sha256', async () => {
    const r1 = fastq('sample_R1.fastq', 500);
    const r2 = fastq('sample_R2.fastq', 300);
    const run = await createRun(session.workspace, {
      name: 'Copy run',
      description: 'two files',
      createdBy: 'ada',
      inputs: [
        { role: 'R1', path: r1 },
        { role: 'R2', path: r2 },
      ],
    });
    expect(run.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(run.dir).toBe(join(session.workspace.layout.runsDir, run.id));
    expect(existsSync(join(run.dir, 'logs'))).toBe(true);
    expect(run).toMatchObject({ name: 'Copy run', description: 'two files', createdBy: 'ada', pipeline: 'qslam', status: 'pending', inputCount: 2, jobCount: 0 });
    for (const [role, src] of [['R1', r1], ['R2', r2]] as const) {
      const input = run.inputs.find((i) => i.role === role);
      expect(input).toBeDefined();
      const dest = join(run.dir, input!.path);
      expect(input!.path).toBe(`rawdata/${role === 'R1' ? 'sample_R1.fastq' : 'sample_R2.fastq'}`);
      expect(lstatSync(dest).isFile()).toBe(true);
      expect(input!.bytes).toBe(lstatSync(src).size);
      expect(input!.sha256).toBe(sha256sum(src));
      expect(sha256sum(dest)).toBe(input!.sha256);
      expect(input!.mode).toBe('copy');
      expect(input!.originalPath).toBe(src);
    }
    const rows = session.workspace.db.prepare('SELECT role, bytes, sha256 FROM run_inputs WHERE run_id = ? ORDER BY role').all(run.id);
    expect(rows).toEqual(run.inputs.map((i) => ({ role: i.role, bytes: i.bytes, sha256: i.sha256 })));
    // Both inputs come from outside the workspace: recorded, one row each.
    expect(audit(run.id).map((a) => a.action)).toEqual(['runs.create', 'runs.input_outside_workspace', 'runs.input_outside_workspace']);
  });

  it('links inputs (absolute target), hashing the source', async () => {
    const r1 = fastq('linked_R1.fastq', 200);
    const run = await createRun(session.workspace, { name: 'Link run', mode: 'link', inputs: [{ role: 'R1', path: r1 }] });
    const input = run.inputs[0]!;
    const dest = join(run.dir, input.path);
    expect(lstatSync(dest).isSymbolicLink()).toBe(true);
    expect(readlinkSync(dest)).toBe(r1);
    expect(input).toMatchObject({ mode: 'link', bytes: lstatSync(r1).size, sha256: sha256sum(r1), originalPath: r1 });
  });

  it('hashes a big file as a stream, leaving the event loop free', async () => {
    const big = join(data, 'big.fastq');
    const chunk = randomBytes(1024 * 1024);
    writeFileSync(big, Buffer.concat(Array.from({ length: 48 }, () => chunk)));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const run = await createRun(session.workspace, { name: 'Big', inputs: [{ role: 'R1', path: big }] });
    clearInterval(timer);
    expect(run.inputs[0]!.sha256).toBe(createHash('sha256').update(readFileSync(big)).digest('hex'));
    expect(run.inputs[0]!.bytes).toBe(48 * 1024 * 1024);
    expect(ticks).toBeGreaterThan(0);
  });

  it('suffixes a clashing file name', async () => {
    mkdirSync(join(data, 'a'));
    mkdirSync(join(data, 'b'));
    writeFileSync(join(data, 'a', 'reads.fastq.gz'), 'one');
    writeFileSync(join(data, 'b', 'reads.fastq.gz'), 'two');
    const run = await createRun(session.workspace, {
      name: 'Clash',
      inputs: [
        { role: 'R1', path: join(data, 'a', 'reads.fastq.gz') },
        { role: 'R2', path: join(data, 'b', 'reads.fastq.gz') },
      ],
    });
    expect(run.inputs.map((i) => i.path).sort()).toEqual(['rawdata/reads.fastq.gz', 'rawdata/reads_2.fastq.gz']);
    expect(readFileSync(join(run.dir, run.inputs.find((i) => i.role === 'R2')!.path), 'utf8')).toBe('two');
  });

  it('leaves no run row and no folder when an input is missing, a folder, or a role is doubled', async () => {
    const r1 = fastq('ok_R1.fastq', 10);
    const missing = join(data, 'missing_R2.fastq');
    await expectApiError(
      createRun(session.workspace, { name: 'Bad', inputs: [{ role: 'R1', path: r1 }, { role: 'R2', path: missing }] }),
      'invalid_request',
      new RegExp(`R2: ${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} does not exist`),
    );
    await expectApiError(createRun(session.workspace, { name: 'Dir', inputs: [{ role: 'R1', path: data }] }), 'invalid_request', /not a regular file/);
    await expectApiError(
      createRun(session.workspace, { name: 'Twice', inputs: [{ role: 'R1', path: r1 }, { role: 'R1', path: r1 }] }),
      'invalid_request',
      /R1 is given twice/,
    );
    expect(session.workspace.db.prepare('SELECT COUNT(*) FROM runs').pluck().get()).toBe(0);
    expect(session.workspace.db.prepare('SELECT COUNT(*) FROM run_inputs').pluck().get()).toBe(0);
    expect(runFolders()).toEqual([]);
  });

  it('removes the copied files when the rows cannot be written (nothing half-created)', async () => {
    const r1 = fastq('ok_R1.fastq', 10);
    const r2 = fastq('ok_R2.fastq', 10);
    // Fail the insert of the second input row, after both files were copied in.
    session.workspace.db.exec("CREATE TEMP TRIGGER fail_r2 BEFORE INSERT ON run_inputs WHEN NEW.role = 'R2' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END");
    await expect(createRun(session.workspace, { name: 'Rolled back', inputs: [{ role: 'R1', path: r1 }, { role: 'R2', path: r2 }] })).rejects.toThrow(/disk on fire/);
    for (const table of ['runs', 'run_inputs', 'run_params', 'audit_log']) {
      expect(session.workspace.db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get(), table).toBe(0);
    }
    expect(runFolders()).toEqual([]);
    session.workspace.db.exec('DROP TRIGGER fail_r2');
  });

  it('rejects bad parameter names before touching the disk', async () => {
    await expectApiError(createRun(session.workspace, { name: 'Bad params', params: { cutadapt: { 'bad name!': 1 } } }), 'invalid_request');
    expect(runFolders()).toEqual([]);
  });

  it('goes through the API door with the same checks', async () => {
    const bad = await session.dispatch('runs.create', { name: '', inputs: [] });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    const r1 = fastq('api_R1.fastq', 5);
    const ok = await session.dispatch('runs.create', { name: 'Via API', inputs: [{ role: 'R1', path: r1 }] });
    expect(ok.ok).toBe(true);
    const detail = await session.call('runs.get', { id: (ok as { value: { id: string } }).value.id });
    expect(detail.inputs[0]!.sha256).toBe(sha256sum(r1));
    expect(audit(detail.id)[0]).toMatchObject({ action: 'runs.create' });
    expect(session.workspace.db.prepare('SELECT actor FROM audit_log WHERE entity_id = ?').pluck().get(detail.id)).toBe('cli');
  });
});

describe('parameters', () => {
  const params = {
    cutadapt: { r1_seq: 'AGATCGGAAGAGC', r1_error_rate: 0.25, r1_anchored: true, r2_seq: 'ACGT; touch pwned', r2_min_overlap: 12 },
    read_mapping: { genome: 'hg38', threads: 4 },
    site_analysis: { promoter_left: 3000, merge_distance: 0 },
    qc: { qc_stage: 'both' },
    umi: { umi_length: 12, location: 'read1', note: null, negative: -0.5 },
  };

  it('are plain rows, queryable by SQL, and mirrored in the seed columns', async () => {
    const a = await createRun(session.workspace, { name: 'hg38 run', params });
    const b = await createRun(session.workspace, { name: 'mm10 run', params: { read_mapping: { genome: 'mm10' } } });
    const db = session.workspace.db;
    expect(db.prepare("SELECT run_id FROM run_params WHERE name = 'genome' AND value = 'hg38'").pluck().all()).toEqual([a.id]);
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT run_id FROM run_params WHERE name = 'genome' AND value = 'hg38'").all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING (COVERING )?INDEX idx_run_params_name_value/);
    expect(db.prepare("SELECT id FROM runs WHERE genome = 'hg38'").pluck().all()).toEqual([a.id]);
    expect(db.prepare("SELECT id FROM runs WHERE genome = 'mm10'").pluck().all()).toEqual([b.id]);
    expect(db.prepare('SELECT r1_seq, r1_error_rate, r1_anchored, r2_seq, r2_min_overlap, promoter_left, qc_stage FROM runs WHERE id = ?').get(a.id)).toEqual({
      r1_seq: 'AGATCGGAAGAGC', r1_error_rate: 0.25, r1_anchored: 1, r2_seq: 'ACGT; touch pwned', r2_min_overlap: 12, promoter_left: 3000, qc_stage: 'both',
    });
    // b keeps the seed defaults
    expect(db.prepare('SELECT r1_error_rate, qc_stage, promoter_left FROM runs WHERE id = ?').get(b.id)).toEqual({ r1_error_rate: 0.3, qc_stage: 'before', promoter_left: 5000 });
    expect(db.prepare("SELECT value, value_type FROM run_params WHERE run_id = ? AND step = 'cutadapt' AND name = 'r1_anchored'").get(a.id)).toEqual({ value: 'true', value_type: 'boolean' });
    expect(db.prepare("SELECT run_id FROM run_params WHERE step = 'site_analysis' AND name = 'promoter_left' AND CAST(value AS INTEGER) < 4000").pluck().all()).toEqual([a.id]);
    expect(getRun(session.workspace, a.id).params).toEqual(params);
  });

  it('setStepParams replaces one step, and the seed columns follow', async () => {
    const run = await createRun(session.workspace, { name: 'p', params });
    const db = session.workspace.db;
    setStepParams(db, run.id, 'cutadapt', { r1_seq: 'TTTT', r1_min_overlap: 7 });
    expect(getStepParams(db, run.id, 'cutadapt')).toEqual({ r1_seq: 'TTTT', r1_min_overlap: 7 });
    expect(getStepParams(db, run.id, 'read_mapping')).toEqual(params.read_mapping);
    expect(db.prepare('SELECT r1_seq, r1_min_overlap, r1_error_rate, r1_anchored, r2_seq FROM runs WHERE id = ?').get(run.id)).toEqual({
      r1_seq: 'TTTT', r1_min_overlap: 7, r1_error_rate: 0.3, r1_anchored: 0, r2_seq: null,
    });
    expect(() => setStepParams(db, 'nope', 'cutadapt', {})).toThrow(/no run/);
    expect(() => setStepParams(db, run.id, 'Bad-Step', {})).toThrow(ApiError);
  });

  it('setRunState sets status and current_step', async () => {
    const run = await createRun(session.workspace, { name: 's' });
    setRunState(session.workspace.db, run.id, { status: 'running', currentStep: 'cutadapt' });
    expect(getRun(session.workspace, run.id)).toMatchObject({ status: 'running', currentStep: 'cutadapt' });
    setRunState(session.workspace.db, run.id, { status: 'completed', currentStep: null });
    expect(getRun(session.workspace, run.id)).toMatchObject({ status: 'completed', currentStep: null });
    expect(() => setRunState(session.workspace.db, run.id, { status: 'exploded', currentStep: null })).toThrow(ApiError);
    expect(() => setRunState(session.workspace.db, 'missing', { status: 'failed', currentStep: null })).toThrow(/no run/);
  });
});

describe('listRuns', () => {
  it('searches name, description, creator and id case-insensitively, with % and _ literal, and pages', async () => {
    const made: string[] = [];
    for (let i = 0; i < 12; i++) {
      const run = await createRun(session.workspace, { name: `Sample ${i}`, createdBy: i % 2 ? 'Grace' : 'ada', ...(i === 3 ? { description: 'LVIS 100% done' } : {}) });
      made.push(run.id);
    }
    const special = await createRun(session.workspace, { name: 'under_score' });
    const ws = session.workspace;
    expect(listRuns(ws).total).toBe(13);
    expect(listRuns(ws, { search: 'GRACE' }).total).toBe(6);
    expect(listRuns(ws, { search: 'lvis' }).runs.map((r) => r.id)).toEqual([made[3]]);
    expect(listRuns(ws, { search: '100%' }).runs.map((r) => r.id)).toEqual([made[3]]);
    expect(listRuns(ws, { search: '%' }).total).toBe(1);
    expect(listRuns(ws, { search: '_' }).runs.map((r) => r.id)).toEqual([special.id]);
    expect(listRuns(ws, { search: made[5]!.slice(0, 13).toUpperCase() }).runs.map((r) => r.id)).toContain(made[5]);
    const page1 = listRuns(ws, { limit: 5, offset: 0 });
    const page3 = listRuns(ws, { limit: 5, offset: 10 });
    expect(page1.runs).toHaveLength(5);
    expect(page1.total).toBe(13);
    expect(page3.runs).toHaveLength(3);
    const all = [...page1.runs, ...listRuns(ws, { limit: 5, offset: 5 }).runs, ...page3.runs].map((r) => r.id);
    expect(new Set(all).size).toBe(13);
    expect(all[0]).toBe(special.id); // newest first
    setRunState(ws.db, made[0]!, { status: 'failed', currentStep: 'qc' });
    expect(listRuns(ws, { status: 'failed' }).runs.map((r) => r.id)).toEqual([made[0]]);
    expect(listRuns(ws, { pipeline: 'qslam' }).total).toBe(13);
    expect(listRuns(ws, { pipeline: 'other' }).total).toBe(0);
    const viaApi = await session.call('runs.list', { search: 'sample 1', limit: 2 });
    expect(viaApi.total).toBe(3); // Sample 1, 10, 11
    expect(viaApi.runs).toHaveLength(2);
    expect((await session.dispatch('runs.list', { limit: 5000 })).ok).toBe(false);
  });
});

describe('export and import', () => {
  it('round-trips the parameters exactly into a new run with a new id', async () => {
    const r1 = fastq('x_R1.fastq', 40);
    const r2 = fastq('x_R2.fastq', 40);
    const params = {
      cutadapt: { r1_seq: 'AGATCGGAAGAGC', r1_error_rate: 0.1 + 0.2, r1_anchored: false, r2_min_overlap: 10 },
      read_mapping: { genome: '/refs/hg38.fa', genome_tar_url: null },
      umi: { big: 12345678901234, small: 1e-12, neg: -7.5, text: '42', yes: true },
    };
    const source = await createRun(session.workspace, { name: 'Original', description: 'd', createdBy: 'ada', inputs: [{ role: 'R1', path: r1 }, { role: 'R2', path: r2 }], params });
    const exported = JSON.parse(JSON.stringify(exportRun(session.workspace, source.id))) as RunExport;
    expect(exported).toMatchObject({ format: 'benchtop-run', version: 1, name: 'Original', description: 'd', createdBy: 'ada', pipeline: 'qslam' });
    expect(exported.inputs).toEqual([
      { role: 'R1', name: 'x_R1.fastq', bytes: lstatSync(r1).size, sha256: sha256sum(r1) },
      { role: 'R2', name: 'x_R2.fastq', bytes: lstatSync(r2).size, sha256: sha256sum(r2) },
    ]);
    expect(JSON.stringify(exported)).not.toContain('@read0'); // no data
    const imported = await importRun(session.workspace, { config: exported, inputs: [{ role: 'R1', path: r1 }, { role: 'R2', path: r2 }] });
    expect(imported.id).not.toBe(source.id);
    expect(imported.name).toBe('Original');
    expect(imported.params).toEqual(params);
    expect(imported.inputs.map((i) => i.sha256)).toEqual(exported.inputs.map((i) => i.sha256));
    const entry = audit(imported.id)[0]!;
    expect(entry.action).toBe('runs.import');
    expect(JSON.parse(entry.details!).source.exportedFrom).toContain(source.id);
    // the config alone (no files) is enough too
    const bare = await session.call('runs.import', { config: exported });
    expect(bare.params).toEqual(params);
    expect(bare.inputs).toEqual([]);
    expect(session.workspace.db.prepare("SELECT COUNT(*) FROM runs WHERE genome = '/refs/hg38.fa'").pluck().get()).toBe(3);
  });

  it('reports a checksum mismatch naming the role, unless allowed', async () => {
    const r1 = fastq('y_R1.fastq', 40);
    const source = await createRun(session.workspace, { name: 'Checked', inputs: [{ role: 'R1', path: r1 }] });
    const config = exportRun(session.workspace, source.id);
    const other = fastq('other_R1.fastq', 41);
    await expectApiError(importRun(session.workspace, { config, inputs: [{ role: 'R1', path: other }] }), 'invalid_request', /Input R1: its sha256/);
    expect(listRuns(session.workspace).total).toBe(1);
    expect(runFolders()).toEqual([source.id]);
    await expectApiError(importRun(session.workspace, { config, inputs: [{ role: 'R9', path: other }] }), 'invalid_request', /R9 is not in the exported run/);
    const allowed = await importRun(session.workspace, { config, inputs: [{ role: 'R1', path: other }], allowChecksumMismatch: true });
    expect(allowed.inputs[0]!.sha256).toBe(sha256sum(other));
    expect(JSON.parse(audit(allowed.id)[0]!.details!).checksumMismatches).toEqual([{ role: 'R1', expected: sha256sum(r1), actual: sha256sum(other) }]);
    const viaApi = await session.dispatch('runs.import', { config, inputs: [{ role: 'R1', path: other }] });
    expect(viaApi).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('names the configuration file in every error when the request says where it came from', async () => {
    const r1 = fastq('s_R1.fastq', 10);
    const config = exportRun(session.workspace, (await createRun(session.workspace, { name: 'Sourced', inputs: [{ role: 'R1', path: r1 }] })).id);
    const source = '/home/ada/exports/sourced.json';
    const call = (request: Record<string, unknown>) => session.dispatch('runs.import', { source, ...request });
    expect(await call({ config: { ...config, version: 2, pipeline: 7 } })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', message: expect.stringMatching(/^\/home\/ada\/exports\/sourced\.json: (version: .*; pipeline: |pipeline: .*; version: )/) },
    });
    expect(await call({ config, inputs: [{ role: 'R9', path: r1 }] })).toMatchObject({ ok: false, error: { message: `${source}: Input role R9 is not in the exported run (it has R1).` } });
    expect(await call({ config, inputs: [{ role: 'R1', path: join(data, 'gone.fastq') }] })).toMatchObject({ ok: false, error: { message: `${source}: Input R1: ${join(data, 'gone.fastq')} does not exist.` } });
    expect(listRuns(session.workspace).total).toBe(1);
  });
});

describe('clean and delete', () => {
  it('clean deletes the files, keeps rows, jobs and audit; the run still lists and shows', async () => {
    const r1 = fastq('c_R1.fastq', 100);
    const linked = fastq('c_R2.fastq', 100);
    const run = await createRun(session.workspace, { name: 'To clean', inputs: [{ role: 'R1', path: r1 }], params: { read_mapping: { genome: 'hg38' } } });
    // a linked input too, added as a second run sharing the cleaning code path
    const linkRun = await createRun(session.workspace, { name: 'Linked', mode: 'link', inputs: [{ role: 'R2', path: linked }] });
    mkdirSync(join(run.dir, 'cutadapt'));
    writeFileSync(join(run.dir, 'cutadapt', 'R1.trimmed.fastq'), 'x'.repeat(1000));
    writeFileSync(join(run.dir, 'logs', 'cutadapt-1.log'), 'log');
    insertJob(run.id, 'cutadapt', 1, 'completed');

    const result = await cleanRun(session.workspace, run.id);
    expect(result).toEqual({ deletedFiles: 3, deletedBytes: lstatSync(r1).size + 1000 + 3 });
    expect(readdirSync(run.dir)).toEqual([]);
    expect(existsSync(r1)).toBe(true);
    const shown = getRun(session.workspace, run.id);
    expect(shown.cleanedAt).not.toBeNull();
    expect(shown.inputs).toHaveLength(1);
    expect(shown.params).toEqual({ read_mapping: { genome: 'hg38' } });
    expect(shown.jobs).toHaveLength(1);
    expect(listRuns(session.workspace).runs.find((r) => r.id === run.id)?.cleanedAt).toBe(shown.cleanedAt);
    expect(audit(run.id).map((a) => a.action)).toEqual(['runs.create', 'runs.input_outside_workspace', 'runs.clean']);

    const linkResult = await cleanRun(session.workspace, linkRun.id);
    expect(linkResult).toEqual({ deletedFiles: 1, deletedBytes: 0 });
    expect(readFileSync(linked, 'utf8')).toContain('@read0'); // the link's target survives
  });

  it('clean and delete refuse while a job is pending or running', async () => {
    const run = await createRun(session.workspace, { name: 'Busy' });
    insertJob(run.id, 'qc', 1, 'running');
    await expectApiError(cleanRun(session.workspace, run.id), 'conflict', /pending or running/);
    await expectApiError(deleteRun(session.workspace, { id: run.id, confirm: run.id }), 'conflict');
    session.workspace.db.prepare("UPDATE jobs SET status = 'pending'").run();
    await expectApiError(cleanRun(session.workspace, run.id), 'conflict');
    session.workspace.db.prepare("UPDATE jobs SET status = 'killed'").run();
    await cleanRun(session.workspace, run.id);
    await expectApiError(cleanRun(session.workspace, 'no-such-run'), 'not_found');
  });

  it('delete needs the id typed as confirmation, removes files and rows, keeps the audit log', async () => {
    const r1 = fastq('d_R1.fastq', 10);
    const run = await createRun(session.workspace, { name: 'Doomed', inputs: [{ role: 'R1', path: r1 }], params: { qc: { qc_stage: 'after' } } });
    insertJob(run.id, 'qc', 1, 'failed');
    await expectApiError(deleteRun(session.workspace, { id: run.id, confirm: 'yes' }), 'invalid_request', /type the run id to confirm/);
    const viaApi = await session.dispatch('runs.delete', { id: run.id, confirm: '' });
    expect(viaApi).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(existsSync(run.dir)).toBe(true);
    const result = await deleteRun(session.workspace, { id: run.id, confirm: run.id });
    expect(result.id).toBe(run.id);
    expect(result.deletedFiles).toBe(1);
    expect(existsSync(run.dir)).toBe(false);
    const db = session.workspace.db;
    for (const table of ['runs', 'run_inputs', 'run_params', 'jobs']) {
      expect(db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get(), table).toBe(0);
    }
    const trail = audit(run.id);
    expect(trail.map((a) => a.action)).toEqual(['runs.create', 'runs.input_outside_workspace', 'runs.delete']);
    expect(JSON.parse(trail[2]!.details!).name).toBe('Doomed');
    await expectApiError(() => getRun(session.workspace, run.id), 'not_found');
  });
});

describe('RunDetail.jobs', () => {
  it('maps every attempt from the jobs table', async () => {
    const run = await createRun(session.workspace, { name: 'Jobs' });
    insertJob(run.id, 'cutadapt', 1, 'failed');
    insertJob(run.id, 'cutadapt', 2, 'completed');
    const detail = getRun(session.workspace, run.id);
    expect(detail.jobCount).toBe(2);
    expect(detail.jobs).toHaveLength(2);
    expect(detail.jobs[1]).toMatchObject({
      runId: run.id, step: 'cutadapt', attempt: 2, status: 'completed', argv: ['cutadapt', '-e', '0.3'], tool: 'cutadapt',
      toolVersion: '4.4', exitCode: 0, startedAt: '2025-01-31 10:00:00', completedAt: '2025-01-31 10:02:05', logFile: 'logs/cutadapt-2.log', error: null, progress: null,
    });
    const viaApi = await session.call('runs.get', { id: run.id });
    expect(viaApi.jobs).toHaveLength(2);
  });
});
