import { closeSync, openSync, writeSync, writevSync } from 'node:fs';
import { crc32, deflateRaw, deflateRawSync } from 'node:zlib';

/** The empty block that ends every BGZF file (SAM/BAM specification, 4.1.2). */
const EOF_BLOCK = Buffer.from('1f8b08040000000000ff0600424302001b0003000000000000000000', 'hex');
/** htslib's limit: an incompressible block must still fit in 64 KiB with its header and footer. */
const BLOCK_DATA = 0xff00;
const BLOCK_HEADER = Buffer.from([0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 0xff, 6, 0, 0x42, 0x43, 2, 0]);

export interface BgzfWriterOptions {
  /** zlib's 1 (fast) to 9 (small); htslib writes 6. */
  level?: number;
  /**
   * Blocks compressed at once on libuv's threadpool, off this thread; 0 compresses each block on
   * this thread as it fills. More than this many waiting makes write() return false.
   */
  inFlight?: number;
}

/** The compressed block with its BGZF header (BC field: block size − 1) and footer (CRC32, ISIZE). */
function frame(data: Buffer, crc: number, deflated: Buffer): Buffer {
  const block = Buffer.allocUnsafe(18 + deflated.length + 8);
  BLOCK_HEADER.copy(block, 0);
  block.writeUInt16LE(block.length - 1, 16);
  deflated.copy(block, 18);
  block.writeUInt32LE(crc, 18 + deflated.length);
  block.writeUInt32LE(data.length, 22 + deflated.length);
  return block;
}

/** A short write happens when the disk fills: the rest is written again, which then reports ENOSPC. */
function writeAll(fd: number, buffers: Buffer[]): void {
  let written = writevSync(fd, buffers);
  const total = buffers.reduce((n, b) => n + b.length, 0);
  if (written === total) return;
  const rest = Buffer.concat(buffers).subarray(written);
  for (let p = 0; p < rest.length; p += written) written = writeSync(fd, rest, p);
}

/**
 * Writes a BGZF file (gzip members of ≤ 64 KiB with the BC extra field holding the block size), the
 * container of BAM, so samtools and htslib can read and index it.
 *
 * With `inFlight` > 0, full blocks are compressed in parallel on libuv's threadpool and written in
 * file order as each one and all before it are done. write() returns false when `inFlight` blocks
 * are waiting: the caller awaits drained() before writing more, which bounds the memory held.
 */
export class BgzfWriter {
  private readonly fd: number;
  private readonly level: number;
  private readonly inFlight: number;
  private buffer = Buffer.allocUnsafe(BLOCK_DATA);
  private used = 0;
  /** Blocks handed to zlib, in file order; `block` is set when compressed. */
  private readonly queue: { block: Buffer | null }[] = [];
  private failure: Error | null = null;
  private closed = false;
  private waiter: { resolve: () => void; reject: (err: Error) => void; until: number } | null = null;

  constructor(
    readonly file: string,
    options: BgzfWriterOptions = {},
  ) {
    this.level = options.level ?? 6;
    this.inFlight = options.inFlight ?? 0;
    this.fd = openSync(file, 'w');
  }

  /** False when the caller should await drained() before the next write. */
  write(data: Uint8Array): boolean {
    if (this.failure) throw this.failure;
    let p = 0;
    while (p < data.length) {
      const n = Math.min(BLOCK_DATA - this.used, data.length - p);
      this.buffer.set(data.subarray(p, p + n), this.used);
      this.used += n;
      p += n;
      if (this.used === BLOCK_DATA) this.flushBlock();
    }
    return this.inFlight === 0 || this.queue.length < this.inFlight;
  }

  /** Resolves when fewer than `inFlight` blocks are waiting; rejects with the write's error. */
  drained(): Promise<void> {
    return this.settle(Math.max(0, this.inFlight - 1));
  }

  private settle(until: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.queue.length <= until) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject, until };
    });
  }

  private flushBlock(): void {
    if (this.used === 0) return;
    const data = this.buffer.subarray(0, this.used);
    this.used = 0;
    const crc = crc32(data);
    if (this.inFlight === 0) {
      writeAll(this.fd, [frame(data, crc, deflateRawSync(data, { level: this.level }))]);
      return;
    }
    // zlib reads `data` on its thread until the callback: the next block fills a new buffer.
    this.buffer = Buffer.allocUnsafe(BLOCK_DATA);
    const slot: { block: Buffer | null } = { block: null };
    this.queue.push(slot);
    deflateRaw(data, { level: this.level }, (err, deflated) => {
      if (this.closed || this.failure) return;
      if (err) return this.fail(err);
      slot.block = frame(data, crc, deflated);
      this.writeDone();
    });
  }

  /** Writes the blocks at the head of the queue that are compressed, in one call. */
  private writeDone(): void {
    let n = 0;
    while (n < this.queue.length && this.queue[n]!.block) n++;
    if (n === 0) return;
    const blocks = this.queue.splice(0, n).map((s) => s.block!);
    try {
      writeAll(this.fd, blocks);
    } catch (err) {
      return this.fail(err as Error);
    }
    if (this.waiter && this.queue.length <= this.waiter.until) {
      const { resolve } = this.waiter;
      this.waiter = null;
      resolve();
    }
  }

  private fail(err: Error): void {
    this.failure = err;
    this.queue.length = 0;
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.reject(err);
  }

  /** Writes the last block and the EOF block, once every block before them is on disk. */
  async close(): Promise<void> {
    this.flushBlock();
    await this.settle(0);
    writeAll(this.fd, [EOF_BLOCK]);
    this.closed = true;
    closeSync(this.fd);
  }

  /** Close without the EOF block (the caller deletes the partial file); blocks still compressing are dropped. */
  abort(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.waiter = null;
    closeSync(this.fd);
  }
}
