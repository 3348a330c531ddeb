/**
 * The SMA-seq ingest (seed 000): every primary record of an unaligned BAM into the experiment's
 * read database, with q_bc, the reference it matches by length, its edit distance in its own
 * orientation and q_ld, and its end reason; then the run's summary row.
 *
 * Atomic: the old rows of the basecall run are deleted and the new ones written in one SQLite
 * transaction, committed only after the last read and the summary. A failure rolls it back; a killed
 * process leaves an uncommitted WAL tail that SQLite discards. Either way the database is as before.
 */
import { readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type Database from 'better-sqlite3';
import { openReadsDb } from '../../../db/reads';
import { pidAlive } from '../../jobs/proc';
import { InputError } from '../../pipelines/qslam/fastq';
import { count, Progress, type Log } from '../../pipelines/qslam/progress';
import { FLAG_SECONDARY, FLAG_SUPPLEMENTARY, readBam, stringTag, type BamProgress, type BamRecord } from './bamReader';
import { BgzfWriter } from './bgzfWriter';
import type { DistanceBatch, DistanceResult } from './distanceBatch';
import { DistancePool } from './distancePool';
import { readEndReasons } from './endReasons';
import { assignReference, qBc, qLd } from './metrics';
import { BAM_BASES } from './nucleotides';
import { readReferences } from './references';
import { writeRunSummary, type RunSummaryRow } from './runSummary';

export interface IngestOptions {
  bam: string;
  refs: readonly string[];
  /** Sequencing or pod5 summary TSV with read_id and end_reason; else the BAM's `er` tag. */
  summary?: string | undefined;
  tolerance: number;
  /** Write a copy of the BAM with ER:Z:<end_reason> on every record here. */
  taggedBam?: string | undefined;
  /** reads/SMA_<exp_id>.db */
  readsDb: string;
  /** basecall_runs.run_id: the rows' run_id. */
  runId: string;
  threads: number;
  /** dist/cli/ingestWorker.js; null computes the distances on this thread. */
  workerScript: string | null;
}

export interface IngestOutcome extends RunSummaryRow {
  skippedRecords: number;
  references: { name: string; length: number; reads: number }[];
  taggedBam: string | null;
}

const BATCH_READS = 256;
/** Tagged-BAM blocks compressing at once (64 KiB each): enough to keep libuv's threadpool busy. */
const TAGGED_IN_FLIGHT = 16;
const BATCH_BASES = 1 << 20;

/** Reads waiting for their distances, with everything else about them already computed. */
interface PendingBatch {
  names: string[];
  seqs: string[];
  lengths: number[];
  qbc: number[];
  ref: number[];
  endReasons: string[];
  /** Position in the distance batch of each read with a reference, -1 for the others. */
  slot: number[];
  batch: DistanceBatch | null;
}

function emptyBatch(): PendingBatch {
  return { names: [], seqs: [], lengths: [], qbc: [], ref: [], endReasons: [], slot: [], batch: null };
}

const ASCII_BASES = Buffer.from(BAM_BASES, 'latin1');

/** Decodes packed bases into `text` (ASCII) and, when `codes` is given, into 4-bit codes at `at`. */
function unpack(seq: Buffer, length: number, text: Buffer, codes: Uint8Array | null, at: number): void {
  for (let i = 0, p = 0; i < length; i += 2, p++) {
    const byte = seq[p]!;
    const hi = byte >> 4;
    const lo = byte & 15;
    text[i] = ASCII_BASES[hi]!;
    if (i + 1 < length) text[i + 1] = ASCII_BASES[lo]!;
    if (codes) {
      codes[at + i] = hi;
      if (i + 1 < length) codes[at + i + 1] = lo;
    }
  }
}

function withTag(raw: Buffer, reason: string): Buffer {
  const tag = Buffer.from(`ERZ${reason}\0`, 'latin1');
  const out = Buffer.allocUnsafe(raw.length + tag.length);
  out.writeInt32LE(raw.length - 4 + tag.length, 0);
  raw.copy(out, 4, 4);
  tag.copy(out, raw.length);
  return out;
}

export async function ingestBam(options: IngestOptions, log: Log): Promise<IngestOutcome> {
  const refs = readReferences(options.refs);
  const refLengths = refs.map((r) => r.seq.length);
  log(`References: ${refs.map((r) => `${r.name} (${count(r.seq.length)} bp)`).join(', ')}; length window ± ${options.tolerance}`);
  const endReasons = options.summary ? await readEndReasons(options.summary) : null;
  if (options.summary) log(`End reasons: ${count(endReasons!.size)} reads in ${options.summary}`);
  else log('End reasons: from the BAM\'s er tag');
  const bamBytes = statSync(options.bam).size;

  let db: Database.Database;
  try {
    db = openReadsDb(options.readsDb);
  } catch (err) {
    // A new SMA DB is created and migrated here: a full disk shows first.
    throw diskFull(err, options) ?? err;
  }
  const pool = new DistancePool(
    refs.map((r) => r.seq),
    options.threads,
    options.workerScript,
  );
  log(`Edit distances on ${pool.threads === 0 ? 'this thread' : `${pool.threads} worker threads`}`);
  if (options.taggedBam) removeDeadPartials(options.taggedBam);
  const tmpTagged = options.taggedBam ? `${options.taggedBam}.part-${process.pid}` : null;
  let tagged: BgzfWriter | null = null;
  let committed = false;
  try {
    if (tmpTagged) tagged = new BgzfWriter(tmpTagged, { inFlight: TAGGED_IN_FLIGHT });
    db.pragma('cache_size = -65536');
    try {
      db.exec('BEGIN IMMEDIATE');
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
      throw new InputError(`${options.readsDb} is being written by another ingest (one at a time per experiment): start this one when it has ended`);
    }
    db.prepare('DELETE FROM reads WHERE run_id = ?').run(options.runId);
    db.prepare('DELETE FROM run_summaries WHERE run_id = ?').run(options.runId);
    const outcome = await streamReads(db, options, pool, tagged, { refNames: refs.map((r) => r.name), refLengths, endReasons, bamBytes }, log);
    const summary = writeRunSummary(db, options.runId);
    // Its last blocks may still fail (a full disk): the reads are committed only with a whole copy.
    if (tagged) await tagged.close();
    db.exec('COMMIT');
    committed = true;
    if (tmpTagged && options.taggedBam) renameSync(tmpTagged, options.taggedBam);
    return {
      ...summary,
      skippedRecords: outcome.skipped,
      references: refs.map((r, i) => ({ name: r.name, length: r.seq.length, reads: outcome.perRef[i] ?? 0 })),
      taggedBam: options.taggedBam ?? null,
    };
  } catch (err) {
    throw diskFull(err, options) ?? err;
  } finally {
    if (!committed) {
      // SQLite may already have rolled back by itself (a full disk does that).
      if (db.inTransaction) db.exec('ROLLBACK');
      if (tagged && tmpTagged) {
        tagged.abort();
        rmSync(tmpTagged, { force: true });
      }
    }
    await pool.close();
    db.close();
  }
}

/**
 * A full disk, said as such and naming the file that could not grow: SQLite reports it as
 * SQLITE_FULL, the tagged BAM's writes as ENOSPC.
 */
function diskFull(err: unknown, options: IngestOptions): InputError | null {
  const code = (err as { code?: unknown }).code;
  if (code === 'SQLITE_FULL') return new InputError(`${options.readsDb}: disk full (nothing of this ingest was kept; free some space and start it again)`);
  if (code === 'ENOSPC') return new InputError(`${options.taggedBam ?? options.readsDb}: disk full (nothing of this ingest was kept; free some space and start it again)`);
  return null;
}

interface StreamContext {
  refNames: string[];
  refLengths: number[];
  endReasons: Map<string, string> | null;
  bamBytes: number;
}

async function streamReads(
  db: Database.Database,
  options: IngestOptions,
  pool: DistancePool,
  tagged: BgzfWriter | null,
  ctx: StreamContext,
  log: Log,
): Promise<{ skipped: number; perRef: number[] }> {
  const insert = db.prepare(
    'INSERT INTO reads (read_id, run_id, readseq, readlen, q_bc, ed, q_ld, ref_id, end_reason, strand) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const { refNames } = ctx;
  const perRef = new Array<number>(refNames.length).fill(0);
  const progress = new Progress(log, 'reads');
  const bamProgress: BamProgress = { compressedBytes: 0 };
  const inFlight: { pending: PendingBatch; result: Promise<DistanceResult | null> }[] = [];
  const maxInFlight = Math.max(2, pool.threads * 3);
  let text = Buffer.allocUnsafe(1 << 16);
  let current = emptyBatch();
  let codes: Uint8Array<ArrayBuffer> = new Uint8Array(BATCH_BASES);
  let starts: number[] = [0];
  let refIdx: number[] = [];
  let done = 0;
  let skipped = 0;
  let header = false;

  const write = (pending: PendingBatch, result: DistanceResult | null) => {
    for (let i = 0; i < pending.names.length; i++) {
      const ref = pending.ref[i]!;
      const slot = pending.slot[i]!;
      const ed = slot >= 0 && result ? result.ed[slot]! : null;
      const strand = slot >= 0 && result ? (result.reverse[slot] ? '-' : '+') : null;
      const name = pending.names[i]!;
      try {
        insert.run(name, options.runId, pending.seqs[i], pending.lengths[i], pending.qbc[i], ed, ed === null ? null : qLd(ed, ctx.refLengths[ref]!), ref >= 0 ? refNames[ref] : null, pending.endReasons[i], strand);
      } catch (err) {
        if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new InputError(`${options.bam}: read ${name} appears twice as a primary record`);
        throw err;
      }
    }
    done += pending.names.length;
    const estimate = bamProgress.compressedBytes > 0 ? Math.max(done, Math.round((done * ctx.bamBytes) / bamProgress.compressedBytes)) : null;
    progress.setTotal(estimate);
    progress.update(done);
  };

  const flush = async (force: boolean) => {
    if (current.names.length > 0) {
      if (refIdx.length > 0) {
        current.batch = { codes: codes.slice(0, starts[starts.length - 1]), starts: Int32Array.from(starts), refs: Int32Array.from(refIdx) };
      }
      const batch = current.batch;
      inFlight.push({ pending: current, result: batch ? pool.submit(batch) : Promise.resolve(null) });
      current = emptyBatch();
      starts = [0];
      refIdx = [];
    }
    while (inFlight.length > 0 && (force || inFlight.length >= maxInFlight)) {
      const next = inFlight.shift()!;
      write(next.pending, await next.result);
    }
  };

  for await (const item of readBam(options.bam, bamProgress)) {
    if (!header) {
      header = true;
      if (tagged && !tagged.write((item as { raw: Buffer }).raw)) await tagged.drained();
      continue;
    }
    const rec = item as BamRecord;
    const primary = (rec.flag & (FLAG_SECONDARY | FLAG_SUPPLEMENTARY)) === 0;
    let reason: string | null = null;
    if (primary || tagged) reason = ctx.endReasons?.get(rec.name) ?? stringTag(rec.aux, 'er') ?? 'unknown';
    if (tagged && !tagged.write(withTag(rec.raw, reason!))) await tagged.drained();
    if (!primary) {
      skipped += 1;
      continue;
    }
    const n = rec.length;
    if (n > 0 && rec.qual[0] === 0xff) throw new InputError(`${options.bam}: read ${rec.name} has no base qualities (QUAL is "*"); q_bc needs them`);
    if (text.length < n) text = Buffer.allocUnsafe(n * 2);
    const ref = assignReference(n, ctx.refLengths, options.tolerance);
    let slot = -1;
    if (ref >= 0) {
      const at = starts[starts.length - 1]!;
      if (at + n > codes.length) codes = growCodes(codes, at + n);
      unpack(rec.seq, n, text, codes, at);
      slot = refIdx.length;
      refIdx.push(ref);
      starts.push(at + n);
      perRef[ref]! += 1;
    } else {
      unpack(rec.seq, n, text, null, 0);
    }
    current.names.push(rec.name);
    current.seqs.push(text.toString('latin1', 0, n));
    current.lengths.push(n);
    current.qbc.push(qBc(rec.qual));
    current.ref.push(ref);
    current.endReasons.push(reason!);
    current.slot.push(slot);
    if (current.names.length >= BATCH_READS || starts[starts.length - 1]! >= BATCH_BASES) await flush(false);
  }
  await flush(true);
  progress.setTotal(done);
  progress.finish(done);
  log(`${count(done)} primary reads${skipped > 0 ? `, ${count(skipped)} secondary or supplementary records skipped` : ''}`);
  return { skipped, perRef };
}

function growCodes(codes: Uint8Array<ArrayBuffer>, need: number): Uint8Array<ArrayBuffer> {
  const bigger = new Uint8Array(Math.max(need, codes.length * 2));
  bigger.set(codes);
  return bigger;
}

/** A killed ingest cannot remove its partial tagged BAM: the next one removes those whose writer is gone. */
function removeDeadPartials(taggedBam: string): void {
  const prefix = `${basename(taggedBam)}.part-`;
  let names: string[];
  try {
    names = readdirSync(dirname(taggedBam));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = name.startsWith(prefix) ? Number(name.slice(prefix.length)) : NaN;
    if (!Number.isInteger(pid) || pid <= 0 || pidAlive(pid)) continue;
    rmSync(join(dirname(taggedBam), name), { force: true });
  }
}
