import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type Database from 'better-sqlite3';
import { ApiError } from '../../shared/errors';
import { DiscoveredRun, type DiscoveryProgress } from '../../shared/schemas/experiments';
import { upsertDiscoveredRuns } from '../../db/repos/experiments';
import { recordAudit } from '../../db/repos/audit';
import type { EventBus } from '../api/events';
import { signalGroup } from '../jobs/proc';
import { benchtopCliPrefix } from '../steps';
import { expand } from '../workspace/resolve';

/** One line of `benchtop builtin minknow_scan` on stdout. */
export type ScanLine = { progress: { foldersScanned: number; runsFound: number } } | { run: DiscoveredRun };

interface Scan {
  state: DiscoveryProgress;
  child: ChildProcess;
  folders: string[];
  /** Runs read from the scan's output, not stored yet. */
  pending: DiscoveredRun[];
  /** Store the pending runs (one transaction). */
  store: () => void;
  /** Whether `state` moved since the last event. */
  dirty: boolean;
  timer: NodeJS.Timeout;
}

const KEEP_FINISHED = 20;
/**
 * How often a running scan stores what it found and reports: one transaction and one event per
 * tick however many folders and runs the scan went through, so a scan of an archive of tens of
 * thousands of folders keeps the main process (and the page drawing its progress) free.
 */
const TICK_MS = 200;

/**
 * Discovery scans, each in its own process (`benchtop builtin minknow_scan`), so a slow network
 * share never stalls the main process. Runs are stored as they arrive, a batch per tick (an upsert
 * keyed on the folder, so scanning again is harmless); cancel kills the process's group at once
 * and keeps what was stored.
 */
export class DiscoveryScans {
  private readonly scans = new Map<string, Scan>();

  constructor(
    private readonly events: EventBus,
    private readonly db: () => Database.Database,
    private readonly actor: string,
  ) {}

  start(dirs: readonly string[]): string {
    const folders = dirs.map((d) => {
      const path = expand(d);
      if (!existsSync(path)) throw new ApiError('not_found', `There is no folder ${path}.`);
      if (!statSync(path).isDirectory()) throw new ApiError('invalid_request', `${path} is a file, not a folder to scan.`);
      return path;
    });
    const scanId = randomUUID();
    const db = this.db();
    const [node, ...prefix] = benchtopCliPrefix();
    // Its own process group, so cancel stops it and anything it started in one signal.
    const child = spawn(node!, [...prefix, 'builtin', 'minknow_scan', ...folders], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      detached: true,
    });
    const scannedAt = new Date().toISOString();
    let stderr = '';
    let writeError: string | null = null;
    const store = () => {
      if (scan.pending.length === 0 || writeError) return;
      const runs = scan.pending;
      scan.pending = [];
      try {
        const stored = upsertDiscoveredRuns(db, runs, scannedAt);
        const count = (action: string) => stored.filter((s) => s.action === action).length;
        scan.state = {
          ...scan.state,
          added: scan.state.added + count('add'),
          updated: scan.state.updated + count('update'),
          unchanged: scan.state.unchanged + count('unchanged'),
          expIds: [...scan.state.expIds, ...stored.map((s) => s.expId)],
        };
        scan.dirty = true;
      } catch (err) {
        writeError = `Could not store what the scan found: ${(err as Error).message}`;
        signalGroup(child.pid ?? 0, 'SIGKILL');
      }
    };
    const scan: Scan = {
      state: { scanId, state: 'running', foldersScanned: 0, runsFound: 0, added: 0, updated: 0, unchanged: 0, expIds: [], error: null },
      child,
      folders,
      pending: [],
      store,
      dirty: false,
      timer: setInterval(() => {
        store();
        if (scan.dirty && scan.state.state === 'running') {
          scan.dirty = false;
          this.events.emit('discovery.progress', scan.state);
        }
      }, TICK_MS),
    };
    this.scans.set(scanId, scan);
    this.prune();
    // Under way from now on, said at once: a small tree may be scanned before the first tick.
    this.events.emit('discovery.progress', scan.state);
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < 8000) stderr += chunk;
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (scan.state.state !== 'running' || writeError) return;
      try {
        const parsed = JSON.parse(line) as ScanLine;
        if ('progress' in parsed) scan.state = { ...scan.state, foldersScanned: parsed.progress.foldersScanned };
        else {
          scan.pending.push(DiscoveredRun.parse(parsed.run));
          scan.state = { ...scan.state, runsFound: scan.state.runsFound + 1 };
        }
        scan.dirty = true;
      } catch (err) {
        writeError = `Could not read what the scan found: ${(err as Error).message}`;
        signalGroup(child.pid ?? 0, 'SIGKILL');
      }
    });
    child.on('error', (err) => this.end(scan, 'failed', `Could not start the scan: ${err.message}`));
    child.on('close', (code) => {
      store();
      if (writeError) this.end(scan, 'failed', writeError);
      else if (code === 0) this.end(scan, 'done', null);
      else this.end(scan, 'failed', stderr.trim() || `The scan exited with code ${code}.`);
    });
    return scanId;
  }

  private end(scan: Scan, state: DiscoveryProgress['state'], error: string | null): void {
    if (scan.state.state !== 'running') return;
    clearInterval(scan.timer);
    scan.state = { ...scan.state, state, error };
    try {
      recordAudit(this.db(), {
        actor: this.actor,
        action: 'experiments.discover',
        entityType: 'experiment',
        details: { folders: scan.folders, state, added: scan.state.added, updated: scan.state.updated, unchanged: scan.state.unchanged, error },
      });
    } catch {
      // the workspace was closed meanwhile: the scan's result is still reported
    }
    this.events.emit('discovery.progress', scan.state);
  }

  get(scanId: string): DiscoveryProgress {
    const scan = this.scans.get(scanId);
    if (!scan) throw new ApiError('not_found', `There is no discovery scan ${scanId}.`);
    return scan.state;
  }

  cancel(scanId: string): DiscoveryProgress {
    const scan = this.scans.get(scanId);
    if (!scan) throw new ApiError('not_found', `There is no discovery scan ${scanId}.`);
    if (scan.state.state === 'running') {
      // The runs read so far are kept; nothing the process still writes is read after this.
      signalGroup(scan.child.pid ?? 0, 'SIGKILL');
      scan.store();
      this.end(scan, 'cancelled', null);
    }
    return scan.state;
  }

  private prune(): void {
    const finished = [...this.scans.entries()].filter(([, s]) => s.state.state !== 'running');
    for (const [id] of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.scans.delete(id);
  }
}
