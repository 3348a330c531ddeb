import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type Database from 'better-sqlite3';
import { ApiError } from '../../shared/errors';
import { DiscoveredRun, type DiscoveryProgress } from '../../shared/schemas/experiments';
import { upsertDiscoveredRun } from '../../db/repos/experiments';
import { recordAudit } from '../../db/repos/audit';
import type { EventBus } from '../api/events';
import { benchtopCliPrefix } from '../steps';
import { expand } from '../workspace/resolve';

/** One line of `benchtop builtin minknow_scan` on stdout. */
export type ScanLine = { progress: { foldersScanned: number; runsFound: number } } | { run: DiscoveredRun };

interface Scan {
  state: DiscoveryProgress;
  child: ChildProcess;
  cancelRequested: boolean;
}

const KEEP_FINISHED = 20;

/**
 * Discovery scans, each in its own process (`benchtop builtin minknow_scan`), so a slow network
 * share never stalls the main process. Runs are stored as they arrive (an upsert keyed on the
 * folder, so scanning again is harmless); cancel kills the process and keeps what was stored.
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
    const child = spawn(node!, [...prefix, 'builtin', 'minknow_scan', ...folders], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    const scan: Scan = {
      state: { scanId, state: 'running', foldersScanned: 0, runsFound: 0, added: 0, updated: 0, expIds: [], error: null },
      child,
      cancelRequested: false,
    };
    this.scans.set(scanId, scan);
    this.prune();
    const scannedAt = new Date().toISOString();
    let stderr = '';
    let writeError: string | null = null;
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < 8000) stderr += chunk;
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (scan.state.state !== 'running' || writeError) return;
      try {
        const parsed = JSON.parse(line) as ScanLine;
        if ('progress' in parsed) {
          scan.state = { ...scan.state, ...parsed.progress };
        } else {
          const run = DiscoveredRun.parse(parsed.run);
          const { expId, action } = upsertDiscoveredRun(db, run, scannedAt);
          scan.state = {
            ...scan.state,
            runsFound: scan.state.runsFound + 1,
            added: scan.state.added + (action === 'add' ? 1 : 0),
            updated: scan.state.updated + (action === 'update' ? 1 : 0),
            expIds: [...scan.state.expIds, expId],
          };
        }
        this.events.emit('discovery.progress', scan.state);
      } catch (err) {
        writeError = `Could not store what the scan found: ${(err as Error).message}`;
        child.kill('SIGTERM');
      }
    });
    child.on('error', (err) => this.end(scan, 'failed', `Could not start the scan: ${err.message}`, folders));
    child.on('close', (code) => {
      if (scan.cancelRequested) this.end(scan, 'cancelled', null, folders);
      else if (writeError) this.end(scan, 'failed', writeError, folders);
      else if (code === 0) this.end(scan, 'done', null, folders);
      else this.end(scan, 'failed', stderr.trim() || `The scan exited with code ${code}.`, folders);
    });
    return scanId;
  }

  private end(scan: Scan, state: DiscoveryProgress['state'], error: string | null, folders: string[]): void {
    if (scan.state.state !== 'running') return;
    scan.state = { ...scan.state, state, error };
    try {
      recordAudit(this.db(), {
        actor: this.actor,
        action: 'experiments.discover',
        entityType: 'experiment',
        details: { folders, state, added: scan.state.added, updated: scan.state.updated, error },
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
      scan.cancelRequested = true;
      scan.child.kill('SIGTERM');
    }
    return scan.state;
  }

  private prune(): void {
    const finished = [...this.scans.entries()].filter(([, s]) => s.state.state !== 'running');
    for (const [id] of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.scans.delete(id);
  }
}
