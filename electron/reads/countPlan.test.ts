import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReadsDb } from '../../db/reads';
import type { ReadsFilter } from '../../shared/schemas/reads';
import { insertBulkReads } from '../../tests/fixtures/smaDb';
import { tempDirs } from '../../tests/tempWorkspace';
import { countStatement, histogramStatements, perRefStatements } from './sql';

let dirs: ReturnType<typeof tempDirs>;
let db: Database.Database;

beforeAll(() => {
  dirs = tempDirs('benchtop-count-plan-');
  db = openReadsDb(join(dirs.root, 'SMA_PLAN.db'));
  insertBulkReads(db, 'PLAN', 2000);
});

afterAll(() => {
  db.close();
  dirs.cleanup();
});

/** The count's plan, one line per step. */
function plan(filter: ReadsFilter): string {
  const { sql, params } = countStatement('PLAN', filter);
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join('\n');
}

// Each kind of filter the table sets, alone and combined: the count must read one index alone
// (a COVERING INDEX search), never the table row by row, which takes tens of seconds on 10M reads.
const FILTERS: Record<string, ReadsFilter> = {
  'no filter': {},
  'q_bc range': { q_bc: { min: 10, max: 20 } },
  'length range': { readlen: { min: 1000 } },
  'ed range': { ed: { max: 20 } },
  'q_ld range': { q_ld: { min: 12 } },
  'one reference': { refIds: ['plasmidA'] },
  'assigned reads': { refNull: false },
  'one end reason': { endReasons: ['signal_positive'] },
  'q_bc, length and assigned (the bench)': { q_bc: { min: 10 }, readlen: { min: 1000, max: 4000 }, refNull: false },
  'reference and q_bc': { refIds: ['plasmidA'], q_bc: { min: 15 } },
  'reference and length': { refIds: ['CON-B'], readlen: { min: 1000 } },
  'end reason and ed': { endReasons: ['signal_positive'], ed: { min: 5, max: 30 } },
  'end reason and q_ld': { endReasons: ['mux_change'], q_ld: { min: 12 } },
  'length and q_ld': { readlen: { min: 500 }, q_ld: { min: 12 } },
  'everything': { q_bc: { min: 8 }, readlen: { max: 4000 }, ed: { max: 50 }, q_ld: { min: 5 }, refIds: ['plasmidA'], endReasons: ['signal_positive'] },
};

describe('the count of a filter', () => {
  for (const [name, filter] of Object.entries(FILTERS)) {
    it(`${name}: reads one covering index`, () => {
      const p = plan(filter);
      expect(p).toMatch(/^SEARCH reads USING COVERING INDEX idx_reads_run_\w+ \(run_id=\?/);
      expect(p.split('\n')).toHaveLength(1);
    });
  }

  it('the histograms of each filter read one covering index too', () => {
    for (const [name, filter] of Object.entries(FILTERS)) {
      if (name === 'no filter') continue;
      for (const { sql, params } of [...histogramStatements('PLAN', filter), ...perRefStatements('PLAN', filter, 3)]) {
        const steps = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
        expect(steps[0], `${name}: ${sql}`).toMatch(/^SEARCH reads USING COVERING INDEX/);
      }
    }
  });

  it('counts what a scan of the table counts', () => {
    for (const filter of Object.values(FILTERS)) {
      const { sql, params } = countStatement('PLAN', filter);
      const plain = sql.replace(/ INDEXED BY \w+/, '');
      const viaIndex = (db.prepare(sql).get(...params) as { n: number }).n;
      const viaTable = (db.prepare(`${plain.replace('FROM reads', 'FROM reads NOT INDEXED')}`).get(...params) as { n: number }).n;
      expect(viaIndex).toBe(viaTable);
    }
  });
});
