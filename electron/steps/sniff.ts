import { closeSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { constants, gunzipSync } from 'node:zlib';

/** The file kinds a path parameter may declare with `"x-file"`; its first bytes are checked at preflight. */
export const FILE_KINDS = ['fasta', 'fastq', 'bam'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

const NAMES: Record<FileKind, string> = { fasta: 'FASTA', fastq: 'FASTQ', bam: 'BAM' };
const HEAD_BYTES = 64 * 1024;

/** What the first bytes of a file look like, and the evidence in words. */
function sniff(file: string): { kind: FileKind | 'empty' | 'other'; why: string } {
  const fd = openSync(file, 'r');
  let head: Buffer;
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    head = buf.subarray(0, readSync(fd, buf, 0, HEAD_BYTES, 0));
  } finally {
    closeSync(fd);
  }
  if (head.length === 0) return { kind: 'empty', why: 'it is empty' };
  if (head[0] === 0x1f && head[1] === 0x8b) {
    try {
      // A truncated gzip (only the head was read) inflates as far as it goes.
      head = gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH });
    } catch {
      return { kind: 'other', why: 'it is gzip-compressed but does not inflate' };
    }
    if (head.subarray(0, 4).toString('latin1') === 'BAM\u0001') return { kind: 'bam', why: 'it starts with a BAM header' };
  }
  const text = head.toString('latin1').replace(/^\s+/, '');
  const first = text[0];
  if (first === '>') return { kind: 'fasta', why: 'its first line starts with >' };
  if (first === '@') return { kind: 'fastq', why: 'its first line starts with @' };
  const line = text.split(/\r?\n/)[0] ?? '';
  return { kind: 'other', why: `its first line is ${JSON.stringify(line.length > 40 ? `${line.slice(0, 40)}…` : line)}` };
}

/** Why a file is not of the declared kind (naming the file and what it looks like), or null. */
export function wrongFileKind(file: string, want: FileKind): string | null {
  const got = sniff(file);
  if (got.kind === want) return null;
  if (got.kind === 'empty' || got.kind === 'other') return `${basename(file)} is not ${NAMES[want]} (${got.why})`;
  return `${basename(file)} looks like ${NAMES[got.kind]} (${got.why}), not ${NAMES[want]}`;
}
