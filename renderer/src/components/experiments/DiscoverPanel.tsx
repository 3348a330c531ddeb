import { useEffect, useRef } from 'react';
import { Card } from '../Card';
import { ErrorNotice, InfoNotice } from '../Notice';
import { PathInput } from '../PathInput';
import { formatCount, plural } from '../../lib/labels';
import { useDiscoveryStore } from '../../stores/discoveryStore';
import { readOnlyTitle, useReadOnly } from '../../stores/readOnly';

/** How often the list beside the panel is reloaded while a scan stores runs (a list of a thousand rows is not redrawn per run). */
const REFRESH_MS = 1500;

/** Folders to scan for MinKNOW runs, Start, a live bar with counts, Cancel. */
/** `onChanged` reloads the list: keep it the same function between renders (a useCallback). */
export function DiscoverPanel({ onChanged }: { onChanged: () => void }) {
  const readOnly = useReadOnly();
  const { folders, scan, error, setFolders, loadFolders, start, cancel } = useDiscoveryStore();
  const running = scan?.state === 'running';
  const stored = scan ? scan.added + scan.updated : 0;
  const refreshed = useRef({ stored: 0, at: 0, ended: '' });

  useEffect(() => void loadFolders(), [loadFolders]);

  // Stored runs refresh the list beside the panel, at most every REFRESH_MS while the scan runs, and once when it ends.
  useEffect(() => {
    if (!scan) return;
    const last = refreshed.current;
    if (scan.state !== 'running') {
      if (last.ended !== scan.scanId) {
        refreshed.current = { stored, at: Date.now(), ended: scan.scanId };
        onChanged();
      }
      return;
    }
    if (stored === last.stored) return;
    const refresh = () => {
      refreshed.current = { stored, at: Date.now(), ended: '' };
      onChanged();
    };
    const wait = last.at + REFRESH_MS - Date.now();
    if (wait <= 0) return refresh();
    const timer = setTimeout(refresh, wait);
    return () => clearTimeout(timer);
  }, [scan, stored, onChanged]);

  return (
    <Card title="Discover runs">
      <form
        className="form discover-form"
        aria-label="Discover runs"
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <p className="field-help">
          Folders where MinKNOW writes its output (or copies of it). Every run below them is found — from its final_summary, its report, or its folder name — and stored;
          scanning again updates what changed.
        </p>
        {folders.map((folder, i) => (
          <PathInput
            key={i}
            kind="folder"
            label={`folder ${i + 1} to scan`}
            value={folder}
            onChange={(v) => setFolders(folders.map((f, j) => (j === i ? v : f)))}
            placeholder="/data/minknow"
            testId={`discover-folder-${i}`}
            after={
              folders.length > 1 ? (
                <button type="button" className="button" aria-label={`Remove folder ${i + 1}`} onClick={() => setFolders(folders.filter((_, j) => j !== i))}>
                  Remove
                </button>
              ) : null
            }
          />
        ))}
        <div className="form-actions">
          <button type="button" className="button" onClick={() => setFolders([...folders, ''])} disabled={running}>
            Add a folder
          </button>
          {running ? (
            <button type="button" className="button" onClick={() => void cancel()} data-testid="discover-cancel">
              Cancel
            </button>
          ) : null}
          <button type="submit" className="button primary" disabled={running || readOnly !== null} title={readOnlyTitle(readOnly)} data-testid="discover-start">
            {running ? 'Scanning…' : 'Start'}
          </button>
        </div>
      </form>
      {error ? <ErrorNotice error={error} compact /> : null}
      {scan ? (
        <div className="discover-status" data-testid="discover-status" data-state={scan.state}>
          <div className="progress">
            <div className="progress-bar" role="progressbar" aria-label="Discovery" aria-valuetext={`${scan.foldersScanned} folders scanned, ${scan.runsFound} runs found`}>
              <div className={running ? 'progress-fill indeterminate sweeping' : 'progress-fill'} style={running ? undefined : { width: '100%' }} />
            </div>
          </div>
          <p className="small" aria-live="polite" data-testid="discover-counts">
            {formatCount(scan.foldersScanned)} folders scanned · {plural(scan.runsFound, 'run')} found
            {scan.state !== 'running' ? ` · ${formatCount(scan.added)} new, ${formatCount(scan.updated)} changed, ${formatCount(scan.unchanged)} unchanged` : ''}
          </p>
          {scan.state === 'done' ? <InfoNotice tone="ok">Scan finished: {plural(scan.runsFound, 'MinKNOW run')} stored.</InfoNotice> : null}
          {scan.state === 'cancelled' ? <InfoNotice>Scan cancelled; the {plural(scan.added + scan.updated + scan.unchanged, 'run')} found until then are kept.</InfoNotice> : null}
          {scan.state === 'failed' ? <ErrorNotice error={{ code: 'io_error', message: scan.error ?? 'The scan failed.' }} title="Scan failed" compact /> : null}
        </div>
      ) : null}
    </Card>
  );
}
