import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import type { OpResponse } from '../../../../shared/contract';
import type { ApiErrorBody } from '../../../../shared/errors';
import { formatBytes } from '../../../../shared/format';
import type { BackupEntry } from '../../../../shared/ops/db';
import { toErrorBody } from '../../lib/errors';
import { formatDateTime, plural } from '../../lib/labels';
import { request } from '../../stores/connectionStore';
import { readOnlyTitle, useReadOnly } from '../../stores/readOnly';
import { useSystemStore } from '../../stores/systemStore';
import { Card } from '../Card';
import { DataTable } from '../DataTable';
import { Placeholder } from '../KeyValues';
import { ErrorNotice, InfoNotice } from '../Notice';
import { Path } from '../Path';

const REASON: Record<BackupEntry['reason'], string> = {
  daily: 'Daily',
  migration: 'Before an upgrade',
  import: 'Before an import',
  manual: 'By hand',
  'pre-restore': 'Before a restore',
};

/** The word typed to confirm a restore: a click alone is too easy for what replaces a database. */
const CONFIRM_WORD = 'restore';

function databaseLabel(b: BackupEntry): string {
  return b.database === 'central' ? 'Central database' : `Reads of ${b.expId}`;
}

function RestoreConfirm({ backup, onDone, onCancel }: { backup: BackupEntry; onDone: (result: OpResponse<'db.restore'>) => void; onCancel: () => void }) {
  const inputId = useId();
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const replaces = backup.database === 'central' ? 'the central database (benchtop.db)' : `the reads database of ${backup.expId}`;

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (typed.trim().toLowerCase() !== CONFIRM_WORD) {
      setError({ code: 'invalid_request', message: `Type "${CONFIRM_WORD}" to confirm.` });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onDone(await request('db.restore', { file: backup.path }));
    } catch (err) {
      setError(toErrorBody(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form restore-confirm" onSubmit={(e) => void submit(e)} noValidate aria-label="Confirm the restore">
      <p>
        Restoring replaces {replaces} with the copy of <strong>{formatDateTime(backup.at)}</strong> ({REASON[backup.reason].toLowerCase()}). What it holds now is kept
        as a pre-restore backup, so this can be undone.
      </p>
      <label htmlFor={inputId} className="field-label">
        Type “{CONFIRM_WORD}” to confirm
      </label>
      <div className="input-row">
        <input
          id={inputId}
          className="input"
          value={typed}
          onChange={(e) => {
            setTyped(e.target.value);
            setError(null);
          }}
          autoComplete="off"
          spellCheck={false}
          autoFocus
        />
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Restoring…' : 'Restore'}
        </button>
        <button type="button" className="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
      {error ? <ErrorNotice error={error} compact /> : null}
    </form>
  );
}

/** The backups of the workspace's databases: take one, see them all, restore one. */
export function BackupsCard() {
  const workspace = useSystemStore((s) => s.workspace);
  const [list, setList] = useState<OpResponse<'db.backups'> | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [result, setResult] = useState<OpResponse<'db.backup'> | null>(null);
  const [restoring, setRestoring] = useState<BackupEntry | null>(null);
  const [restored, setRestored] = useState<OpResponse<'db.restore'> | null>(null);
  const readOnly = useReadOnly();

  const load = useCallback(
    () =>
      request('db.backups', {})
        .then(setList)
        .catch((err: unknown) => setError(toErrorBody(err))),
    [],
  );

  // Again when the workspace changes (a restore of the central database reopens it, too).
  useEffect(() => {
    void load();
  }, [load, workspace]);

  async function backup() {
    setBusy(true);
    setError(null);
    setResult(null);
    setRestored(null);
    try {
      setResult(await request('db.backup', {}));
      await load();
    } catch (err) {
      setError(toErrorBody(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title="Backups">
      <div className="backup-row">
        <button type="button" className="button" onClick={() => void backup()} disabled={busy || readOnly !== null} title={readOnlyTitle(readOnly)}>
          {busy ? 'Backing up…' : 'Back up database now'}
        </button>
        <span className="muted small">
          Verified copies of the central and the reads databases go to {workspace ? <Path value={workspace.backupsDir} /> : <Placeholder />}
        </span>
      </div>
      {error ? <ErrorNotice error={error} compact /> : null}
      {result ? (
        <InfoNotice tone="ok">
          <span data-testid="backup-result">
            Backed up to <span className="mono">{result.path}</span> ({formatBytes(result.bytes)})
            {result.reads && result.reads.length > 0 ? `, and ${plural(result.reads.length, 'reads database')}` : ''}.
          </span>
        </InfoNotice>
      ) : null}
      {restored ? (
        <InfoNotice tone="ok">
          <span data-testid="restore-result">
            Restored <span className="mono">{restored.restored}</span>. What it held before is in <span className="mono">{restored.preRestore}</span>.
          </span>
        </InfoNotice>
      ) : null}
      {restoring ? (
        <RestoreConfirm
          backup={restoring}
          onCancel={() => setRestoring(null)}
          onDone={(r) => {
            setRestoring(null);
            setRestored(r);
            void load();
          }}
        />
      ) : null}
      {list ? (
        list.backups.length === 0 ? (
          <p className="muted small">No backups yet. Benchtop takes one a day at start-up, before every upgrade and import, and when you ask.</p>
        ) : (
          <DataTable
            testId="backups-table"
            caption="Backups of the databases"
            maxHeight={320}
            rowKey={(b) => b.path}
            rows={list.backups}
            columns={[
              { key: 'at', header: 'Taken', render: (b) => formatDateTime(b.at) },
              { key: 'database', header: 'Database', render: (b) => databaseLabel(b) },
              { key: 'reason', header: 'Why', render: (b) => REASON[b.reason] + (b.verified ? '' : ' (not verified)') },
              { key: 'bytes', header: 'Size', numeric: true, render: (b) => formatBytes(b.bytes) },
              {
                key: 'path',
                header: '',
                render: (b) => (
                  <button type="button" className="button small-button" onClick={() => setRestoring(b)} disabled={readOnly !== null} title={readOnlyTitle(readOnly)} aria-label={`Restore ${databaseLabel(b).toLowerCase()} from ${formatDateTime(b.at)}`}>
                    Restore…
                  </button>
                ),
              },
            ]}
          />
        )
      ) : null}
      {list ? (
        <p className="field-help">
          Kept: the newest {list.policy.keepToday} of today and one a day for {list.policy.keepDays} days; copies taken before an upgrade or a restore are kept for all of
          those days.
        </p>
      ) : null}
    </Card>
  );
}
