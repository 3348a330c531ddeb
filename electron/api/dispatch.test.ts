import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OP_NAMES, operations } from '../../shared/contract';
import type { Session } from './session';
import { openTestSession, tempDirs } from '../../tests/tempWorkspace';

/** Requests that no operation accepts: every request is an object with known keys only. */
const MALFORMED: unknown[] = [null, 42, 'text', [], true, { __unexpected__: 1 }];

/** Per operation, requests whose fields have the wrong type or value. */
const WRONG_FIELDS: Partial<Record<(typeof OP_NAMES)[number], unknown[]>> = {
  'workspace.switch': [{ path: '' }, { path: 7 }, {}],
  'db.backup': [{ to: '' }, { to: ['a'] }],
  'db.restore': [{ file: '' }, { file: 3 }, {}],
  'db.audit': [{ limit: 0 }, { from: 'yesterday' }, { kind: 'rows' }, { before: { at: 'x', kind: 'change' } }],
  'lookups.list': [{ table: 'experiments' }, { table: 'lk_pore_types; DROP TABLE experiments' }, {}],
  'lookups.add': [
    { table: 'lk_pore_types' },
    { table: 'nope', row: { pore_type: 'X' } },
    { table: 'lk_pore_types', row: { pore_type: { nested: true } } },
    { table: 'lk_pore_types', row: 'R11' },
  ],
  'dialog.open': [{ kind: 'socket' }, { multiple: 'yes' }, { filters: [{ name: 'x', extensions: ['*; rm'] }] }],
  'dialog.save': [{ defaultPath: 5 }],
};

function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (!name.endsWith('-shm')) out.push(`${p}:${st.size}`);
    }
  };
  walk(dir);
  return out.sort();
}

describe('dispatch', () => {
  const dirs = tempDirs();
  let session: Session;

  beforeAll(() => {
    session = openTestSession(dirs);
  });
  afterAll(() => {
    session.close();
    dirs.cleanup();
  });

  it('covers every operation of the contract with a handler', async () => {
    for (const op of OP_NAMES) {
      const result = await session.dispatch(op, null);
      expect(result.ok, op).toBe(false);
      if (!result.ok) expect(result.error.code, op).not.toBe('unknown_operation');
    }
    expect(Object.keys(operations).length).toBe(OP_NAMES.length);
  });

  it('rejects every malformed request with invalid_request and writes nothing', async () => {
    const changesBefore = session.workspace.db.prepare('SELECT total_changes()').pluck().get();
    const filesBefore = snapshot(dirs.root);
    for (const op of OP_NAMES) {
      for (const request of [...MALFORMED, ...(WRONG_FIELDS[op] ?? [])]) {
        const result = await session.dispatch(op, request);
        expect(result, `${op} ${JSON.stringify(request)}`).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
        if (!result.ok) expect(result.error.message.startsWith(`${op}:`)).toBe(true);
      }
    }
    expect(session.workspace.db.prepare('SELECT total_changes()').pluck().get()).toBe(changesBefore);
    expect(snapshot(dirs.root)).toEqual(filesBefore);
  });

  it('names an unknown operation', async () => {
    const result = await session.dispatch('runs.explode', {});
    expect(result).toEqual({ ok: false, error: { code: 'unknown_operation', message: 'There is no operation "runs.explode".' } });
    expect((await session.dispatch('__proto__', {})).ok).toBe(false);
    expect((await session.dispatch('toString', {})).ok).toBe(false);
  });

  it('turns a handler error into a typed result, and the session keeps working', async () => {
    const dup = await session.dispatch('lookups.add', { table: 'lk_pore_types', row: { pore_type: 'R10.4.1' } });
    expect(dup).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const unsupported = await session.dispatch('dialog.open', { kind: 'folder' });
    expect(unsupported).toMatchObject({ ok: false, error: { code: 'unsupported' } });
    const status = await session.dispatch('system.status', {});
    expect(status).toMatchObject({ ok: true, value: { workspace: dirs.workspace } });
  });

  it('answers with values that match the contract', async () => {
    const info = await session.call('system.info', {});
    expect(info.name).toBe('Benchtop');
    expect(info.centralSchemaVersion).toBeGreaterThan(0);
    const pipeline = await session.call('pipeline.status', {});
    expect(pipeline.experiments).toBe(0);
    expect(pipeline.basecallRuns).toMatchObject({ pending: 0, running: 0, complete: 0, analyzed: 0 });
  });
});
