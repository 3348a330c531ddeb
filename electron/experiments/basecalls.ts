import { closeSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import { ApiError } from '../../shared/errors';
import {
  EXP_ID_RE,
  VERSION_RE,
  basecallRunId,
  decodeModBitflag,
  normalizeVersion,
  parseBasecallName,
  type BasecallName,
} from '../../shared/nanopore/basecallName';
import type { RegisterBasecallRequest } from '../../shared/ops/experiments';
import type { BasecallRun } from '../../shared/schemas/experiments';
import { recordAudit } from '../../db/repos/audit';
import { findBasecallRun, insertBareExperiment, modificationRows, upsertBasecallRun, type BasecallProvenance } from '../../db/repos/experiments';
import { expand } from '../workspace/resolve';

/** A BAM is BGZF whose first block inflates to "BAM\1". */
export function assertBam(file: string): void {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(65536 + 26);
    const n = readSync(fd, head, 0, head.length, 0);
    const bgzf = n >= 18 && head[0] === 0x1f && head[1] === 0x8b && head[3]! & 4;
    let magic = '';
    if (bgzf) {
      try {
        magic = gunzipSync(head.subarray(0, Math.min(n, head.readUInt16LE(16) + 1))).subarray(0, 4).toString('latin1');
      } catch {
        magic = '';
      }
    }
    if (magic !== 'BAM\u0001') throw new ApiError('invalid_request', `${file} is not a BAM file (no BGZF-compressed "BAM\\1" header).`);
  } finally {
    closeSync(fd);
  }
}

/** The registration fields: the convention's, overridden by what was given; every one must end up known. */
function fieldsOf(fileName: string, req: z.output<typeof RegisterBasecallRequest>): BasecallName {
  const parsed = parseBasecallName(fileName);
  const base: Partial<BasecallName> = parsed.ok ? parsed.value : {};
  const fields = {
    expId: req.expId ?? base.expId,
    tier: req.tier ?? base.tier,
    version: req.version !== undefined ? normalizeVersion(req.version) : base.version,
    trim: req.trim ?? base.trim,
    modBitflag: req.modBitflag ?? base.modBitflag,
  };
  const missing = Object.entries(fields).filter(([, v]) => v === undefined).map(([k]) => k);
  if (missing.length > 0) {
    const why = parsed.ok ? '' : `${parsed.message}; `;
    throw new ApiError('invalid_request', `${why}give ${missing.join(', ')} by hand.`);
  }
  if (!EXP_ID_RE.test(fields.expId!)) throw new ApiError('invalid_request', `${JSON.stringify(fields.expId)} is not an experiment id (letters, digits, . _ - only).`);
  if (!VERSION_RE.test(fields.version!)) throw new ApiError('invalid_request', `${JSON.stringify(fields.version)} is not a model version like v5.0.0.`);
  return fields as BasecallName;
}

export interface RegisterExtras extends BasecallProvenance {
  actor: string;
}

/**
 * Register an existing BAM as a basecall run: its fields from the naming convention (or given),
 * the bitflag checked against lk_modifications, the experiment known (or created when asked), the
 * BAM's resolved path stored. Its run id is the convention's stem, so registering again updates it.
 */
export function registerBasecall(db: Database.Database, req: z.output<typeof RegisterBasecallRequest>, extras: RegisterExtras): BasecallRun {
  const given = expand(req.bamPath);
  let file: string;
  try {
    file = realpathSync(given);
  } catch {
    throw new ApiError('not_found', `There is no file ${given}.`);
  }
  if (!statSync(file).isFile()) throw new ApiError('invalid_request', `${file} is a folder, not a BAM file.`);
  const fields = fieldsOf(basename(given), req);
  const decoded = decodeModBitflag(fields.modBitflag, modificationRows(db));
  if (!decoded.ok) throw new ApiError('invalid_request', `${basename(given)}: ${decoded.message}.`);
  assertBam(file);

  const runId = basecallRunId(fields);
  db.transaction(() => {
    if (db.prepare('SELECT 1 FROM experiments WHERE exp_id = ?').get(fields.expId) === undefined) {
      if (!req.createExperiment) {
        throw new ApiError(
          'not_found',
          `There is no experiment ${fields.expId} (from ${basename(given)}): discover its MinKNOW folder first, or create it with the registration (createExperiment / --create-experiment).`,
        );
      }
      insertBareExperiment(db, fields.expId);
    }
    upsertBasecallRun(db, {
      runId,
      expId: fields.expId,
      modelTier: fields.tier,
      modelVersion: fields.version,
      trim: fields.trim,
      modBitflag: fields.modBitflag,
      bamPath: file,
      status: req.status ?? 'complete',
      doradoVersion: extras.doradoVersion ?? null,
      doradoArgs: extras.doradoArgs ?? null,
      batchSize: extras.batchSize ?? null,
      emitMoves: extras.emitMoves ?? null,
      gpuModel: extras.gpuModel ?? null,
      runtimeSeconds: extras.runtimeSeconds ?? null,
      analysisRunId: extras.analysisRunId ?? null,
      jobId: extras.jobId ?? null,
    });
    recordAudit(db, { actor: extras.actor, action: 'basecalls.register', entityType: 'basecall_run', entityId: runId, details: { bamPath: file } });
  }).immediate();
  return findBasecallRun(db, runId)!;
}
