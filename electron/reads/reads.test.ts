import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReadsDb, readsDbFileName } from '../../db/reads';
import { EXP2_READS, HAC_READS, insertBulkReads, seedSmaWorkspace } from '../../tests/fixtures/smaDb';
import { openTestSession, tempDirs } from '../../tests/tempWorkspace';
import type { Session } from '../api/session';
import { ApiError } from '../../shared/errors';

let dirs: ReturnType<typeof tempDirs>;
let session: Session;

beforeAll(() => {
  dirs = tempDirs('benchtop-reads-');
  session = openTestSession(dirs);
  const readsDir = session.workspace.layout.readsDir;
  seedSmaWorkspace(session.workspace.db, (expId) => openReadsDb(join(readsDir, readsDbFileName(expId))));
});

afterAll(() => {
  session.close();
  dirs.cleanup();
});

const ids = (rows: { read_id: string }[]) => rows.map((r) => r.read_id);

describe('reads.page', () => {
  it('sorts by q_bc descending by default, with ties broken by row order', async () => {
    const page = await session.call('reads.page', { runId: 'EXP1_hac', limit: 4 });
    expect(ids(page.rows)).toEqual(['r08', 'r04', 'r01', 'r02']);
    expect(page.next).toEqual({ value: 18, rowid: page.rows[3]!.rowid });
  });

  it('sorts by each column both ways; NULL sorts below every value', async () => {
    const asc = await session.call('reads.page', { runId: 'EXP1_hac', sort: { column: 'ed', dir: 'asc' } });
    expect(ids(asc.rows)).toEqual(['r06', 'r08', 'r10', 'r09', 'r01', 'r04', 'r07', 'r02', 'r03', 'r05']);
    const desc = await session.call('reads.page', { runId: 'EXP1_hac', sort: { column: 'readlen', dir: 'desc' } });
    expect(ids(desc.rows)).toEqual(['r08', 'r05', 'r04', 'r06', 'r02', 'r09', 'r01', 'r03', 'r07', 'r10']);
    const ref = await session.call('reads.page', { runId: 'EXP1_hac', sort: { column: 'ref_id', dir: 'desc' }, limit: 3 });
    expect(ids(ref.rows)).toEqual(['r09', 'r03', 'r02']);
  });

  it('walks every page with keyset cursors, both directions, across the NULLs', async () => {
    for (const dir of ['asc', 'desc'] as const) {
      const all = await session.call('reads.page', { runId: 'EXP1_hac', sort: { column: 'ed', dir } });
      const walked: string[] = [];
      let after: { value: number | string | null; rowid: number } | undefined;
      for (let i = 0; i < 10; i++) {
        const page = await session.call('reads.page', { runId: 'EXP1_hac', sort: { column: 'ed', dir }, limit: 3, ...(after ? { after } : {}) });
        walked.push(...ids(page.rows));
        if (!page.next) break;
        after = page.next;
      }
      expect(walked).toEqual(ids(all.rows));
    }
  });

  it('pages by offset', async () => {
    const page = await session.call('reads.page', { runId: 'EXP1_hac', sort: { column: 'q_bc', dir: 'asc' }, limit: 3, offset: 3 });
    expect(ids(page.rows)).toEqual(['r07', 'r03', 'r09']);
  });

  it('filters by ranges, references (in / unassigned) and end reasons, and counts the filter', async () => {
    const cases: [object, string[]][] = [
      [{ q_bc: { min: 15, max: 20 } }, ['r01', 'r02', 'r09', 'r03']],
      [{ readlen: { min: 1000 }, ed: { max: 20 } }, ['r04', 'r01', 'r09']],
      [{ refIds: ['plasmidA'] }, ['r01', 'r02', 'r09', 'r03']],
      [{ refNull: true }, ['r08', 'r06', 'r10']],
      [{ refIds: ['contaminant'], refNull: true }, ['r08', 'r07', 'r06', 'r10']],
      [{ refNull: false, endReasons: ['signal_positive'] }, ['r04', 'r01', 'r02', 'r03', 'r07']],
      [{ endReasons: ['unblock_mux_change', 'data_service_unblock_mux_change'] }, ['r08', 'r05']],
      [{ q_ld: { min: 20 } }, ['r04', 'r01', 'r09']],
    ];
    for (const [filter, expected] of cases) {
      const page = await session.call('reads.page', { runId: 'EXP1_hac', filter });
      expect(ids(page.rows), JSON.stringify(filter)).toEqual(expected);
      expect((await session.call('reads.count', { runId: 'EXP1_hac', filter })).total).toBe(expected.length);
    }
  });

  it('names the missing run or reads database', async () => {
    await expect(session.call('reads.page', { runId: 'nope' })).rejects.toThrow(/no basecall run "nope"/);
    session.workspace.db.prepare("INSERT INTO experiments (exp_id) VALUES ('EXP3')").run();
    session.workspace.db.prepare("INSERT INTO basecall_runs (run_id, exp_id, status) VALUES ('EXP3_hac', 'EXP3', 'complete')").run();
    const err = await session.call('reads.page', { runId: 'EXP3_hac' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('not_found');
    expect((err as ApiError).message).toMatch(/EXP3 has no reads database yet/);
  });
});

describe('reads.summary and reads.histograms', () => {
  it('computes N50, bases, mean and median Q from the reads, next to the stored run_summaries', async () => {
    const s = await session.call('reads.summary', { runId: 'EXP1_hac' });
    expect(s.reads).toBe(10);
    expect(s.bases).toBe(13055);
    expect(s.n50).toBe(2000); // 3000 + 2050 + 2000 = 7050 ≥ 13055 / 2
    expect(s.meanQ).toBeCloseTo(14.3, 10);
    expect(s.medianQ).toBe(15.5);
    expect(s.assigned).toBe(7);
    expect(s.stored?.total_reads).toBe(10);
    expect(s.refIds).toEqual(['CON-B', 'contaminant', 'plasmidA']);
    expect(s.endReasons).toContain('data_service_unblock_mux_change');
    expect((await session.call('reads.summary', { runId: 'EXP1_sup' })).stored).toBeNull();
  });

  it('bins read lengths on a log scale, q_bc by 1, ed and q_ld per reference, and counts end reasons', async () => {
    const h = await session.call('reads.histograms', { runId: 'EXP1_hac' });
    const total = (y: number[]) => y.reduce((a, b) => a + b, 0);
    expect(h.readLength.logX).toBe(true);
    expect(total(h.readLength.series[0]!.y)).toBe(9); // the empty read has no log bin
    // 1000 and 1005 share bin 60 ([1000, 1122)); 990 is in bin 59.
    const at = (x: number) => h.readLength.series[0]!.y[h.readLength.x.indexOf(x)];
    expect(at(1000)).toBe(3); // 1000, 1005, 1010
    expect(at(891)).toBe(1); // 990: bin 59 starts at 10^(59/20) ≈ 891
    expect(h.qbc.x[0]).toBe(0);
    expect(h.qbc.series[0]!.y[h.qbc.x.indexOf(15)]).toBe(1);
    expect(total(h.qbc.series[0]!.y)).toBe(10);
    expect(h.refs.map((r) => [r.ref_id, r.reads, r.minEd, r.maxEd])).toEqual([
      ['CON-B', 2, 20, 200],
      ['contaminant', 1, 25, 25],
      ['plasmidA', 4, 0, 50],
    ]);
    expect(h.edByRef.binWidth).toBe(6); // ceil(201 / 40)
    expect(h.edByRef.series.map((s) => [s.name, total(s.y)])).toEqual([['CON-B', 2], ['contaminant', 1], ['plasmidA', 4]]);
    expect(h.qldByRef.series.find((s) => s.name === 'plasmidA')!.y[h.qldByRef.x.indexOf(60)]).toBe(1); // ed 0: 1/L² → 60
    expect(h.endReasons[0]).toEqual({ end_reason: 'signal_positive', category: 'complete', reads: 5 });
    expect(h.endReasons.find((r) => r.end_reason === 'unblock_mux_change')?.category).toBe('rejected');
  });
});

describe('reads.verdict', () => {
  it('grades every threshold of the linked library (seed defaults where NULL)', async () => {
    const v = await session.call('reads.verdict', { runId: 'EXP1_hac' });
    if (v.state !== 'evaluated') throw new Error('expected a verdict');
    expect(v.library.lib_id).toBe('LIB1');
    expect(v.defaultsUsed).toEqual(['min_median_qscore', 'target_qscore', 'max_error_rate']);
    const by = Object.fromEntries(v.checks.map((c) => [c.id, c]));
    expect(by.mean_q).toMatchObject({ measured: 14.3, min: 10, target: 20, verdict: 'warn' });
    expect(by.median_q).toMatchObject({ measured: 15.5, min: 12, target: 20, verdict: 'warn' });
    expect(by.purity).toMatchObject({ measured: 0.6, min: 0.5, target: 0.9, verdict: 'warn' });
    expect(by.error_rate!.measured).toBeCloseTo(0.25 / 7, 12);
    expect(by.error_rate).toMatchObject({ max: 0.1, target: 0.03, verdict: 'warn' });
    expect(by.n50).toMatchObject({ measured: 2000, min: 1500, target: 2000, verdict: 'pass' }); // at the target
    expect(by.reads).toMatchObject({ measured: 10, verdict: 'warn' });
    expect(by.bases).toMatchObject({ measured: 13055, verdict: null });
    expect(by.signal_positive).toMatchObject({ measured: 0.5, min: 0.6, verdict: 'fail' });
    expect(by.unblock).toMatchObject({ measured: 0.2, max: 0.25, verdict: 'pass' });
    expect(v.overall).toBe('fail');
  });

  it('says when no library is linked', async () => {
    expect(await session.call('reads.verdict', { runId: 'EXP2_sup' })).toEqual({ state: 'no_library', runId: 'EXP2_sup', expId: 'EXP2' });
  });
});

describe('reads.compare and reads.query', () => {
  it('puts the basecall runs of one experiment side by side on shared bins', async () => {
    const c = await session.call('reads.compare', { expId: 'EXP1' });
    expect(c.runs.map((r) => [r.run.run_id, r.meanQ])).toEqual([
      ['EXP1_hac', 14.3],
      ['EXP1_sup', 14.3 + 2.7],
    ].map(([id, q]) => [id, expect.closeTo(q as number, 10)]));
    expect(c.qbc.series.map((s) => s.name)).toEqual(['EXP1_hac', 'EXP1_sup']);
    const hacAt = (q: number) => c.qbc.series[0]!.y[c.qbc.x.indexOf(q)];
    const supAt = (q: number) => c.qbc.series[1]!.y[c.qbc.x.indexOf(q)];
    expect([hacAt(25), supAt(28), supAt(25)]).toEqual([1, 1, 1]); // r08 25 → 28; r04 22 → 25
    expect(c.readLength.series[0]!.y).toEqual(c.readLength.series[1]!.y);
  });

  it('aggregates one metric across experiments with their DBs attached read-only', async () => {
    const reads = await session.call('reads.query', { expIds: ['EXP1', 'EXP2', 'NOPE'], metric: 'reads' });
    expect(reads.missing).toEqual(['NOPE']);
    expect(reads.rows).toEqual([
      { expId: 'EXP1', runId: 'EXP1_hac', group: null, value: 10 },
      { expId: 'EXP1', runId: 'EXP1_sup', group: null, value: 10 },
      { expId: 'EXP2', runId: 'EXP2_sup', group: null, value: EXP2_READS.length },
    ]);
    const sp = await session.call('reads.query', { expIds: ['EXP2'], metric: 'signal_positive_fraction' });
    expect(sp.rows[0]!.value).toBe(0.5);
    const byRef = await session.call('reads.query', { expIds: ['EXP1', 'EXP2'], metric: 'reads_by_ref' });
    expect(byRef.rows.filter((r) => r.expId === 'EXP2')).toEqual([
      { expId: 'EXP2', runId: 'EXP2_sup', group: null, value: 1 },
      { expId: 'EXP2', runId: 'EXP2_sup', group: 'CON-B', value: 1 },
      { expId: 'EXP2', runId: 'EXP2_sup', group: 'plasmidA', value: 2 },
    ]);
  });
});

describe('reads.export', () => {
  it('writes the filtered, sorted rows as CSV or TSV and refuses to overwrite unconfirmed', async () => {
    const csv = join(dirs.root, 'assigned.csv');
    const result = await session.call('reads.export', { runId: 'EXP1_hac', filter: { refIds: ['CON-B', 'contaminant'] }, sort: { column: 'readlen', dir: 'asc' }, format: 'csv', path: csv });
    expect(result.rows).toBe(3);
    const lines = readFileSync(csv, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('read_id,run_id,readlen,q_bc,ed,q_ld,ref_id,strand,end_reason');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 5).join(','))).toEqual([
      'r07,EXP1_hac,500,11.0,25',
      'r04,EXP1_hac,2000,22.0,20',
      'r05,EXP1_hac,2050,9.0,200',
    ].map((l) => l.replace('.0,', ',')));
    expect(result.bytes).toBe(readFileSync(csv).length);

    await expect(session.call('reads.export', { runId: 'EXP1_hac', format: 'csv', path: csv })).rejects.toThrow(/exists already: confirm/);
    const tsv = join(dirs.root, 'all.tsv');
    writeFileSync(tsv, 'old');
    const all = await session.call('reads.export', { runId: 'EXP1_hac', format: 'tsv', path: tsv, overwrite: true, includeSequence: true, sort: { column: 'read_id', dir: 'asc' } });
    expect(all.rows).toBe(HAC_READS.length);
    const rows = readFileSync(tsv, 'utf8').trimEnd().split('\n').map((l) => l.split('\t'));
    expect(rows[0]!.at(-1)).toBe('readseq');
    expect(rows[6]).toEqual(['r06', 'EXP1_hac', '1500', '7.0', '', '', '', '', 'signal_negative', 'ACGT'.repeat(375)].map((v) => (v === '7.0' ? '7' : v)));
    expect(existsSync(`${tsv}.partial`)).toBe(false);
  });
});

describe('worker threads', () => {
  it('keeps the event loop turning while a big query runs', async () => {
    const file = join(session.workspace.layout.readsDir, readsDbFileName('BIG'));
    const db = openReadsDb(file);
    insertBulkReads(db, 'BIG_run', 90_000);
    db.close();
    session.workspace.db.prepare("INSERT INTO experiments (exp_id) VALUES ('BIG')").run();
    session.workspace.db.prepare("INSERT INTO basecall_runs (run_id, exp_id, status) VALUES ('BIG_run', 'BIG', 'analyzed')").run();

    let ticks = 0;
    let running = true;
    const tick = () => {
      ticks++;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    const h = await session.call('reads.histograms', { runId: 'BIG_run', filter: { q_bc: { min: 5 } } });
    running = false;
    expect(h.qbc.series[0]!.y.reduce((a, b) => a + b, 0)).toBe(75_000); // q_bc < 5: 50 of every 300 reads
    expect(ticks).toBeGreaterThan(0);
  });

  it('a newer count with the same key cancels the running one', async () => {
    const old = session.call('reads.count', { runId: 'BIG_run', filter: { q_bc: { min: 1 } }, key: 'table-1' });
    const other = session.call('reads.count', { runId: 'BIG_run', filter: { q_bc: { min: 1 } }, key: 'table-2' });
    const latest = session.call('reads.count', { runId: 'BIG_run', filter: { q_bc: { min: 5 } }, key: 'table-1' });
    await expect(old).rejects.toThrow(/superseded/);
    expect((await latest).total).toBe(75_000);
    expect((await other).total).toBe(90_000 - 3_000); // q_bc < 1: 10 of every 300
  });

  it('cancels an export: no file, no partial file', async () => {
    const out = join(dirs.root, 'cancelled.csv');
    const running = session.call('reads.export', { runId: 'BIG_run', format: 'csv', path: out, exportId: 'x1', includeSequence: true });
    expect(await session.call('reads.exportCancel', { exportId: 'x1' })).toEqual({ cancelled: true });
    await expect(running).rejects.toThrow(/cancelled; no file was written/);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.partial`)).toBe(false);
    expect(await session.call('reads.exportCancel', { exportId: 'x1' })).toEqual({ cancelled: false });
    // The pool starts a new worker for the next query.
    expect((await session.call('reads.count', { runId: 'BIG_run' })).total).toBe(90_000);
  });
});
