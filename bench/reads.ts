/**
 * `node dist/bench/reads.js`: the results browser's reads table on a 10-million-read run. One page
 * of 100 reads sorted by q_bc with a filter, through Benchtop's whole path (dispatch, worker
 * thread, SQLite), next to the plain `sqlite3` CLI running the same SQL on the same file (its
 * `.timer`, query time only). Target: median < 50 ms. Also the filter's row count, which the
 * table shows above the rows. BENCH_SCALE shrinks the table (0.01 → 100 000 reads).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openReadsDb, readsDbFileName } from '../db/reads';
import { Session } from '../electron/api/session';
import { countStatement, pageStatements } from '../electron/reads/sql';
import type { Statement } from '../electron/reads/sqlWorker';
import type { ReadsFilter, ReadsSort } from '../shared/schemas/reads';
import { insertBulkReads } from '../tests/fixtures/smaDb';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const READS = Math.max(1000, Math.round(10_000_000 * SCALE));
const ITERATIONS = 30;
/** The count reads the whole filtered range (seconds at full scale): fewer runs of it. */
const COUNT_ITERATIONS = 2;
const RUN = 'BENCH_sup';
const FILTER: ReadsFilter = { q_bc: { min: 10 }, readlen: { min: 1000, max: 4000 }, refNull: false };
const SORT: ReadsSort = { column: 'q_bc', dir: 'desc' };

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** The statement with its parameters written in as SQL literals, for the CLI. */
function inline({ sql, params }: Statement): string {
  let i = 0;
  return sql.replace(/\?/g, () => {
    const v = params[i++];
    return typeof v === 'number' ? String(v) : v === null || v === undefined ? 'NULL' : `'${String(v).replace(/'/g, "''")}'`;
  });
}

/** The sqlite3 CLI's own query times (ms), ITERATIONS runs of the statement after one warm-up. */
function sqlite3Times(file: string, statement: Statement, iterations: number): number[] {
  const sql = inline(statement);
  const script = `.timer on\n${Array.from({ length: iterations + 1 }, () => `${sql};`).join('\n')}\n`;
  const result = spawnSync('sqlite3', ['-readonly', file], { input: script, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (result.status !== 0) throw new Error(`sqlite3 failed: ${result.stderr}`);
  const times = [...result.stdout.matchAll(/Run Time: real ([\d.]+)/g)].map((m) => Number(m[1]) * 1000);
  return times.slice(1);
}

async function benchtopTimes(call: () => Promise<unknown>, iterations: number): Promise<number[]> {
  await call();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    await call();
    times.push(performance.now() - t);
  }
  return times;
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(i === 0 ? 34 : 18)).join('');

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'benchtop-bench-reads-'));
  // The 10M-read database is gigabytes: removed on Ctrl-C too.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      rmSync(root, { recursive: true, force: true });
      process.exit(130);
    });
  }
  try {
    const session = Session.open({ mode: 'cli', configDir: join(root, 'config'), electronVersion: null, dialogs: null }, { workspace: join(root, 'ws'), env: {} });
    session.workspace.db.exec("INSERT INTO experiments (exp_id) VALUES ('BENCH'); INSERT INTO basecall_runs (run_id, exp_id, status) VALUES ('BENCH_sup', 'BENCH', 'analyzed')");
    const file = join(session.workspace.layout.readsDir, readsDbFileName('BENCH'));
    const db = openReadsDb(file);
    const t0 = performance.now();
    insertBulkReads(db, RUN, READS);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    console.log(`Results browser: ${READS.toLocaleString('en-US')} reads generated and indexed in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

    const page = await benchtopTimes(() => session.call('reads.page', { runId: RUN, filter: FILTER, sort: SORT, limit: 100 }), ITERATIONS);
    const count = await benchtopTimes(() => session.call('reads.count', { runId: RUN, filter: FILTER }), COUNT_ITERATIONS);
    const [pageSql] = pageStatements(RUN, FILTER, SORT, 100, { offset: 0 });
    const pagePeer = sqlite3Times(file, pageSql!, ITERATIONS);
    const countPeer = sqlite3Times(file, countStatement(RUN, FILTER), COUNT_ITERATIONS);
    session.close();

    console.log(`${ITERATIONS} runs of the page, ${COUNT_ITERATIONS} of the count, after a warm-up; filter ${JSON.stringify(FILTER)}, sorted by q_bc desc`);
    console.log(line(['measure', 'Benchtop median', 'Benchtop p95', 'target', 'sqlite3 median', 'sqlite3 p95']));
    console.log(line(['page of 100 reads', fmt(percentile(page, 50)), fmt(percentile(page, 95)), '< 50 ms', fmt(percentile(pagePeer, 50)), fmt(percentile(pagePeer, 95))]));
    console.log(line(['count of the filter', fmt(percentile(count, 50)), fmt(percentile(count, 95)), '—', fmt(percentile(countPeer, 50)), fmt(percentile(countPeer, 95))]));
    const plan = (statement: Statement) => spawnSync('sqlite3', ['-readonly', file, `EXPLAIN QUERY PLAN ${inline(statement)}`], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ').trim();
    console.log(`Plan of the page: ${plan(pageSql!)}`);
    console.log(`Plan of the count: ${plan(countStatement(RUN, FILTER))}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
