import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../shared/errors';
import { openReadsDb, READS_SCHEMA_VERSION, readsDbFileName } from './reads';
import { columnNames, indexNames, scratch } from './testing';

const { dir, keep } = scratch();

describe('reads database', () => {
  it("has seed 000's SMA schema, plus strand on reads", () => {
    const db = keep(openReadsDb(join(dir(), 'reads', 'SMA_PAW1.db')));
    expect(columnNames(db, 'reads')).toEqual([
      'read_id', 'run_id', 'readseq', 'readlen', 'q_bc', 'ed', 'q_ld', 'ref_id', 'end_reason', 'strand',
    ]);
    expect(columnNames(db, 'run_summaries')).toEqual([
      'run_id', 'total_reads', 'matched_reads', 'mean_qbc', 'median_qbc', 'mean_ed', 'median_ed', 'mean_qld',
      'er_signal_pos', 'er_signal_neg', 'er_unblock', 'er_other',
    ]);
    expect(indexNames(db)).toEqual([
      'idx_reads_ed', 'idx_reads_end_reason', 'idx_reads_qbc', 'idx_reads_ref_id', 'idx_reads_run_ed',
      'idx_reads_run_end_reason', 'idx_reads_run_filters', 'idx_reads_run_id', 'idx_reads_run_qbc', 'idx_reads_run_qld',
      'idx_reads_run_readlen', 'idx_reads_run_reason_filters', 'idx_reads_run_ref', 'idx_reads_run_ref_filters',
    ]);
    const partial = db.prepare("SELECT name FROM pragma_index_list('reads') WHERE partial = 1").pluck().all();
    expect(partial).toEqual(['idx_reads_ed']);
    expect(db.prepare("SELECT name FROM pragma_table_info('reads') WHERE pk > 0 ORDER BY pk").pluck().all())
      .toEqual(['read_id', 'run_id']);
  });

  it('is a read-by-run table: the same read may come from two basecall runs, not twice from one', () => {
    const db = keep(openReadsDb(join(dir(), 'SMA_PAW1.db')));
    const insert = db.prepare("INSERT INTO reads (read_id, run_id, strand) VALUES ('read-1', ?, '+')");
    insert.run('sup');
    insert.run('hac');
    expect(() => insert.run('sup')).toThrow(/UNIQUE/);
  });

  it('opens in WAL with synchronous=NORMAL and records its version', () => {
    const db = keep(openReadsDb(join(dir(), 'SMA_PAW1.db')));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('user_version', { simple: true })).toBe(READS_SCHEMA_VERSION);
    expect(READS_SCHEMA_VERSION).toBe(3);
  });
});

describe('readsDbFileName', () => {
  it('names the file after the experiment', () => {
    expect(readsDbFileName('PAW12345_abc-1')).toBe('SMA_PAW12345_abc-1.db');
    expect(readsDbFileName('run.2024')).toBe('SMA_run.2024.db');
  });

  it.each(['../x', 'a/b', 'a\\b', '', '.hidden', '..', 'x y', 'é', 'x'.repeat(201)])('refuses %j', (expId) => {
    let error: unknown;
    try {
      readsDbFileName(expId);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('invalid_request');
    expect((error as ApiError).message).toContain(JSON.stringify(expId));
  });

  it('accepts 200 characters', () => {
    expect(readsDbFileName('x'.repeat(200))).toBe(`SMA_${'x'.repeat(200)}.db`);
  });
});
