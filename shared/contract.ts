/**
 * The one API of Benchtop. Every operation and every event is declared here, once, with zod
 * schemas. The handler table (electron/api) implements the operations; Electron IPC, the browser
 * bridge (`benchtop serve`) and the CLI are three doors onto that table.
 */
import type { z } from 'zod';
import type { ApiResult } from './errors';
import { WorkspaceInfo } from './schemas/workspace';
import { JobInfo, LogChunk } from './schemas/jobs';
import { systemOps } from './ops/system';
import { jobsOps } from './ops/jobs';
import { stepsOps } from './ops/steps';
import { runsOps } from './ops/runs';
import { launchOps } from './ops/launch';
import { experimentsOps } from './ops/experiments';
import { DiscoveryProgress } from './schemas/experiments';
import { smaOps } from './ops/sma';
import { librariesOps } from './ops/libraries';
import { readsOps, ReadsExportProgress } from './ops/reads';
import { dbOps } from './ops/db';
import { demoOps, DemoProgress } from './ops/demo';

/** Each domain declares its operations in shared/ops/<domain>.ts; this is their union. */
export const operations = {
  ...systemOps,
  // runs ops
  ...runsOps,
  // jobs ops
  ...jobsOps,
  // steps and tools ops
  ...stepsOps,
  ...launchOps,
  // experiments and basecall runs ops
  ...experimentsOps,
  ...smaOps,
  // library specs ops
  ...librariesOps,
  ...readsOps,
  ...dbOps,
  ...demoOps,
} as const;

export const events = {
  /** The open workspace changed (Settings → switch). */
  'workspace.changed': WorkspaceInfo,
  /** A job was queued, started, made progress or ended. */
  'job.status': JobInfo,
  /** New bytes appended to a job's log. */
  'job.log': LogChunk,
  /** A discovery scan advanced or ended. */
  'discovery.progress': DiscoveryProgress,
  /** Rows written so far by a reads.export. */
  'reads.export': ReadsExportProgress,
  /** The demo workspace's build advanced or ended. */
  'demo.progress': DemoProgress,
} as const;

export type Operations = typeof operations;
export type OpName = keyof Operations;
export type OpRequest<K extends OpName> = z.input<Operations[K]['request']>;
export type OpParsedRequest<K extends OpName> = z.output<Operations[K]['request']>;
export type OpResponse<K extends OpName> = z.output<Operations[K]['response']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<K extends EventName> = z.output<Events[K]>;

export const OP_NAMES = Object.keys(operations) as OpName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isOpName(name: unknown): name is OpName {
  return typeof name === 'string' && Object.hasOwn(operations, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}

/** The transport-independent surface the renderer talks to (preload and the HTTP client both implement it). */
export interface BenchtopBridge {
  invoke<K extends OpName>(op: K, request: OpRequest<K>): Promise<ApiResult<OpResponse<K>>>;
  on<K extends EventName>(event: K, listener: (payload: EventPayload<K>) => void): () => void;
}
