/** Migration 0007 rebuilds the jobs table (to allow `starting`): a version-6 database keeps its jobs. */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CENTRAL_SCHEMA_VERSION, openCentralDb } from './central';
import { migrate } from './migrate';
import { centralMigrations } from './migrations';
import { columnNames, indexNames, scratch } from './testing';

const { dir, keep } = scratch();

const JOB_COLUMNS =
  'id, run_id, step_name, attempt, status, argv, tool, tool_version, executor, pid, pgid, proc_start_time, created_at, started_at, completed_at, exit_code, log_file, error_message';

describe('0007_job_starting', () => {
  it('keeps every job row of a version-6 database, its id counter and its link to the run', () => {
    const workspace = dir();
    const file = join(workspace, 'benchtop.db');
    const v6 = new Database(file);
    v6.pragma('foreign_keys = ON');
    migrate(v6, centralMigrations.filter((m) => m.version <= 6), { file, label: 'central database', backup: () => undefined });
    expect(v6.pragma('user_version', { simple: true })).toBe(6);
    v6.prepare("INSERT INTO runs (id, name, pipeline) VALUES ('r1', 'Run 1', 'qslam'), ('r2', 'Run 2', 'qslam')").run();
    const insert = v6.prepare(
      `INSERT INTO jobs (run_id, step_name, attempt, status, argv, tool, tool_version, pid, pgid, proc_start_time, created_at, started_at, completed_at, exit_code, log_file, error_message)
       VALUES (?, ?, ?, ?, ?, 'fastqc', '0.12.1', ?, ?, ?, '2024-01-01T00:00:00Z', ?, ?, ?, ?, ?)`,
    );
    insert.run('r1', 'qc', 1, 'completed', '["fastqc","a.fq"]', 101, 101, 'boot 1', '2024-01-01T00:00:01Z', '2024-01-01T00:00:09Z', 0, 'runs/r1/logs/qc-1.log', null);
    insert.run('r1', 'qc', 2, 'running', '["fastqc","b.fq"]', 102, 102, 'boot 2', '2024-01-01T00:01:00Z', null, null, 'runs/r1/logs/qc-2.log', null);
    insert.run('r1', 'trim', 1, 'pending', '["cutadapt"]', null, null, null, null, null, null, 'runs/r1/logs/trim-1.log', null);
    insert.run('r2', 'qc', 1, 'interrupted', '["fastqc"]', 103, 103, 'boot 3', '2024-01-01T00:02:00Z', '2024-01-01T00:03:00Z', null, 'runs/r2/logs/qc-1.log', 'Benchtop lost track of this job');
    insert.run('r2', 'qc', 2, 'failed', '["fastqc"]', 104, 104, 'boot 4', '2024-01-01T00:04:00Z', '2024-01-01T00:05:00Z', 2, 'runs/r2/logs/qc-2.log', 'exited with code 2');
    // The newest job was deleted: its id is never handed out again.
    v6.prepare("DELETE FROM jobs WHERE run_id = 'r2' AND attempt = 2").run();
    const before = v6.prepare(`SELECT ${JOB_COLUMNS} FROM jobs ORDER BY id`).all();
    v6.close();

    const db = keep(openCentralDb(file, { backupDir: join(workspace, 'backups') }));
    expect(db.pragma('user_version', { simple: true })).toBe(CENTRAL_SCHEMA_VERSION);
    expect(db.prepare(`SELECT ${JOB_COLUMNS} FROM jobs ORDER BY id`).all()).toEqual(before);
    expect(db.prepare('SELECT COUNT(*) FROM jobs WHERE exit_file IS NOT NULL').pluck().get()).toBe(0);
    expect(columnNames(db, 'jobs')).toContain('exit_file');
    expect(indexNames(db)).toEqual(expect.arrayContaining(['idx_jobs_run_id', 'idx_jobs_status']));
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');

    // `starting` is a status now; a made-up one still is not.
    const next = db
      .prepare("INSERT INTO jobs (run_id, step_name, attempt, status, exit_file) VALUES ('r2', 'qc', 3, 'starting', 'runs/r2/logs/qc-3.exit')")
      .run();
    expect(Number(next.lastInsertRowid)).toBe(6);
    expect(() => db.prepare("INSERT INTO jobs (run_id, step_name, attempt, status) VALUES ('r2', 'qc', 4, 'sleeping')").run()).toThrow(/CHECK/);
    // The reference to the run holds: an unknown run is refused, and deleting a run takes its jobs.
    expect(() => db.prepare("INSERT INTO jobs (run_id, step_name, attempt) VALUES ('nope', 'qc', 1)").run()).toThrow(/FOREIGN KEY/);
    db.prepare("DELETE FROM runs WHERE id = 'r1'").run();
    expect(db.prepare('SELECT run_id, attempt, status FROM jobs ORDER BY id').all()).toEqual([
      { run_id: 'r2', attempt: 1, status: 'interrupted' },
      { run_id: 'r2', attempt: 3, status: 'starting' },
    ]);
  });
});
