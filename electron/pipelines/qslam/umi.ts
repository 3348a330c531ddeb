/**
 * `benchtop builtin umi`: moves the UMI (unique molecular identifier) from a read into the read
 * names of both mates, so that later steps can tell PCR duplicates from distinct molecules.
 *
 * For each pair: the UMI is `umiLength` bases at the start (or end) of R1 (or R2); those bases and
 * their qualities are removed from that read, and `_<UMI>` is appended to the first token of BOTH
 * mates' headers (before a trailing /1 or /2; the rest of the header is kept). A pair whose UMI read
 * is shorter than `umiLength` has no UMI: it is dropped and counted. Mates must have the same name.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { StepResult } from '../../../shared/schemas/results';
import { emptyResult, resultFile, writeStepResult } from '../../results/files';
import { DistinctCounter } from './distinct';
import { FastqReader, InputError, TextWriter, fastqText, readName, type FastqRecord } from './fastq';
import { Progress, count, type Log } from './progress';

export interface UmiOptions {
  r1: string;
  r2: string;
  stepDir: string;
  umiLength: number;
  umiRead: 'r1' | 'r2';
  umiLocation: 'start' | 'end';
}

export interface UmiSummary {
  pairs: number;
  written: number;
  tooShort: number;
  distinctUmis: number;
  distinctExact: boolean;
}

export function checkUmiOptions(o: UmiOptions): void {
  if (!Number.isInteger(o.umiLength) || o.umiLength < 1 || o.umiLength > 32) throw new InputError(`--umi-length must be a whole number from 1 to 32, not ${o.umiLength}`);
  if (o.umiRead !== 'r1' && o.umiRead !== 'r2') throw new InputError(`--umi-read must be r1 or r2, not ${JSON.stringify(o.umiRead)}`);
  if (o.umiLocation !== 'start' && o.umiLocation !== 'end') throw new InputError(`--umi-location must be start or end, not ${JSON.stringify(o.umiLocation)}`);
}

/** Appends `_<umi>` to the header's first token, before a trailing /1 or /2. */
export function tagHeader(header: string, umi: string): string {
  const space = header.search(/[ \t]/);
  const first = space < 0 ? header : header.slice(0, space);
  const rest = space < 0 ? '' : header.slice(space);
  const mate = first.endsWith('/1') || first.endsWith('/2') ? first.slice(-2) : '';
  return `${first.slice(0, first.length - mate.length)}_${umi}${mate}${rest}`;
}

/** Splits the UMI off a read; null when the read is shorter than the UMI. */
export function extractUmi(record: FastqRecord, length: number, location: 'start' | 'end'): { umi: string; read: FastqRecord } | null {
  if (record.seq.length < length) return null;
  if (location === 'start') {
    return { umi: record.seq.slice(0, length), read: { header: record.header, seq: record.seq.slice(length), qual: record.qual.slice(length) } };
  }
  const cut = record.seq.length - length;
  return { umi: record.seq.slice(cut), read: { header: record.header, seq: record.seq.slice(0, cut), qual: record.qual.slice(0, cut) } };
}

export async function runUmi(o: UmiOptions, log: Log): Promise<UmiSummary> {
  checkUmiOptions(o);
  for (const f of [o.r1, o.r2]) if (!existsSync(f)) throw new InputError(`input file not found: ${f}`);
  mkdirSync(o.stepDir, { recursive: true });
  const out1 = join(o.stepDir, 'R1.fastq.gz');
  const out2 = join(o.stepDir, 'R2.fastq.gz');
  for (const f of [out1, out2, join(o.stepDir, 'results.json')]) rmSync(f, { force: true });
  log(`UMI: ${o.umiLength} bases at the ${o.umiLocation} of ${o.umiRead.toUpperCase()}`);
  log(`reading ${o.r1} and ${o.r2}`);

  const reader1 = new FastqReader(o.r1);
  const reader2 = new FastqReader(o.r2);
  const writer1 = new TextWriter(`${out1}.partial`, { gzip: true });
  const writer2 = new TextWriter(`${out2}.partial`, { gzip: true });
  const progress = new Progress(log, 'bytes', reader1.totalBytes);
  const distinct = new DistinctCounter();
  const summary: UmiSummary = { pairs: 0, written: 0, tooShort: 0, distinctUmis: 0, distinctExact: true };
  try {
    for (;;) {
      const a = await reader1.next();
      const b = await reader2.next();
      if (!a && !b) break;
      if (!a || !b) {
        const [short, long] = a ? [reader2, reader1] : [reader1, reader2];
        throw new InputError(`${short.label} has fewer records than ${long.label}: it ends after record ${short.records} (read pairs are out of sync)`);
      }
      summary.pairs++;
      const n1 = readName(a.header);
      const n2 = readName(b.header);
      if (n1 !== n2) throw new InputError(`${reader2.label} record ${reader2.records}: read name ${JSON.stringify(n2)} does not match ${reader1.label}'s ${JSON.stringify(n1)} (mates out of sync)`);
      const cut = extractUmi(o.umiRead === 'r1' ? a : b, o.umiLength, o.umiLocation);
      if (!cut) {
        summary.tooShort++;
      } else {
        distinct.add(cut.umi);
        const r1 = o.umiRead === 'r1' ? cut.read : a;
        const r2 = o.umiRead === 'r2' ? cut.read : b;
        await writer1.write(fastqText({ ...r1, header: tagHeader(r1.header, cut.umi) }));
        await writer2.write(fastqText({ ...r2, header: tagHeader(r2.header, cut.umi) }));
        summary.written++;
      }
      if ((summary.pairs & 0x3ff) === 0) progress.update(reader1.bytesRead);
    }
    await writer1.close();
    await writer2.close();
  } catch (err) {
    reader1.close();
    reader2.close();
    await Promise.allSettled([writer1.close(), writer2.close()]);
    rmSync(`${out1}.partial`, { force: true });
    rmSync(`${out2}.partial`, { force: true });
    throw err;
  }
  progress.finish(reader1.totalBytes);
  renameSync(`${out1}.partial`, out1);
  renameSync(`${out2}.partial`, out2);
  summary.distinctUmis = distinct.count;
  summary.distinctExact = distinct.isExact;

  log(`read pairs processed: ${count(summary.pairs)}`);
  log(`read pairs written: ${count(summary.written)}`);
  log(`pairs dropped (${o.umiRead.toUpperCase()} shorter than the ${o.umiLength}-base UMI): ${count(summary.tooShort)}`);
  log(`distinct UMIs: ${count(summary.distinctUmis)}${summary.distinctExact ? '' : ' (estimated)'}`);

  const result: StepResult = emptyResult(o.stepDir, 'umi');
  const pct = (n: number) => (summary.pairs ? Math.round((10000 * n) / summary.pairs) / 100 : null);
  result.metrics.push(
    { label: 'Read pairs processed', value: summary.pairs },
    { label: 'Read pairs written', value: summary.written },
    { label: 'Pairs dropped: read too short for a UMI', value: summary.tooShort, verdict: summary.pairs && summary.tooShort / summary.pairs > 0.1 ? 'warn' : 'pass' },
    { label: 'Pairs dropped', value: pct(summary.tooShort), unit: '%' },
    { label: summary.distinctExact ? 'Distinct UMIs' : 'Distinct UMIs (estimated)', value: summary.distinctUmis },
    { label: 'UMI', value: `${o.umiLength} bp at the ${o.umiLocation} of ${o.umiRead.toUpperCase()}` },
  );
  result.files.push(resultFile(o.stepDir, out1, 'Read 1 with the UMI in its name', 'fastq'), resultFile(o.stepDir, out2, 'Read 2 with the UMI in its name', 'fastq'));
  writeStepResult(o.stepDir, result);
  return summary;
}
