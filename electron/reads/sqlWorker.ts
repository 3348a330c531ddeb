/**
 * A worker thread that runs read-only SQL on the per-experiment reads databases, so a query over
 * millions of rows never blocks the main process's event loop. It imports nothing of Benchtop's
 * (only node: modules and better-sqlite3): it runs from source under Node's type stripping in the
 * tests and from dist/workers/sql.js when built. The queries come from electron/reads, never from
 * the user.
 */
import { closeSync, openSync, renameSync, writeSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import Database from 'better-sqlite3';

export type SqlValue = string | number | null;
export interface Statement {
  sql: string;
  params: SqlValue[];
}

export type SqlTask =
  /** Each statement's rows (objects), in order. `attach` files are attached read-only as s1, s2, …. */
  | { kind: 'all'; file: string; attach?: string[]; statements: Statement[] }
  /** Stream one statement's rows (arrays) into `path` as CSV or TSV, via `path`.partial, renamed at the end. */
  | { kind: 'export'; file: string; statement: Statement; path: string; partial: string; header: string[]; format: 'csv' | 'tsv'; progressEvery: number };

export type WorkerReply =
  | { id: number; type: 'done'; value: unknown }
  | { id: number; type: 'error'; message: string; sqliteCode?: string }
  | { id: number; type: 'progress'; rows: number };

function openReadOnly(file: string, attach: readonly string[] = []): Database.Database {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  // Attached files inherit the read-only open; query_only is a second lock on every schema.
  db.pragma('query_only = 1');
  attach.forEach((f, i) => db.prepare(`ATTACH DATABASE ? AS s${i + 1}`).run(f));
  return db;
}

function runAll(task: Extract<SqlTask, { kind: 'all' }>): unknown[][] {
  const db = openReadOnly(task.file, task.attach);
  try {
    return task.statements.map((s) => db.prepare(s.sql).all(...s.params));
  } finally {
    db.close();
  }
}

function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** TSV has no quoting: a tab or line break inside a value would split it, so it becomes a space. */
function tsvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  return String(v).replace(/[\t\r\n]/g, ' ');
}

function runExport(id: number, task: Extract<SqlTask, { kind: 'export' }>): { rows: number; bytes: number } {
  const db = openReadOnly(task.file);
  const field = task.format === 'csv' ? csvField : tsvField;
  const sep = task.format === 'csv' ? ',' : '\t';
  const fd = openSync(task.partial, 'w');
  let rows = 0;
  let bytes = 0;
  let buffer = task.header.map(field).join(sep) + '\n';
  const flush = () => {
    bytes += writeSync(fd, buffer);
    buffer = '';
  };
  try {
    const stmt = db.prepare(task.statement.sql).raw(true);
    for (const row of stmt.iterate(...task.statement.params) as Iterable<unknown[]>) {
      buffer += row.map(field).join(sep) + '\n';
      rows++;
      if (buffer.length > 1 << 20) flush();
      if (rows % task.progressEvery === 0) parentPort?.postMessage({ id, type: 'progress', rows } satisfies WorkerReply);
    }
    flush();
  } finally {
    closeSync(fd);
    db.close();
  }
  renameSync(task.partial, task.path);
  return { rows, bytes };
}

parentPort?.on('message', (message: { id: number; task: SqlTask }) => {
  const { id, task } = message;
  try {
    const value = task.kind === 'all' ? runAll(task) : runExport(id, task);
    parentPort?.postMessage({ id, type: 'done', value } satisfies WorkerReply);
  } catch (err) {
    const e = err as { message?: string; code?: unknown };
    parentPort?.postMessage({
      id,
      type: 'error',
      message: e.message ?? String(err),
      ...(typeof e.code === 'string' ? { sqliteCode: e.code } : {}),
    } satisfies WorkerReply);
  }
});
