import { closeSync, openSync, writeSync } from 'node:fs';
import { crc32, deflateRawSync } from 'node:zlib';

/** The empty block that ends every BGZF file (SAM/BAM specification, 4.1.2). */
const EOF_BLOCK = Buffer.from('1f8b08040000000000ff0600424302001b0003000000000000000000', 'hex');
/** htslib's limit: an incompressible block must still fit in 64 KiB with its header and footer. */
const BLOCK_DATA = 0xff00;

/**
 * Writes a BGZF file (gzip members of ≤ 64 KiB with the BC extra field holding the block size), the
 * container of BAM, so samtools and htslib can read and index it.
 */
export class BgzfWriter {
  private readonly fd: number;
  private buffer = Buffer.allocUnsafe(BLOCK_DATA);
  private used = 0;

  /** `level`: zlib's 1 (fast) to 9 (small); htslib writes 6. */
  constructor(
    readonly file: string,
    private readonly level = 6,
  ) {
    this.fd = openSync(file, 'w');
  }

  write(data: Uint8Array): void {
    let p = 0;
    while (p < data.length) {
      const n = Math.min(BLOCK_DATA - this.used, data.length - p);
      this.buffer.set(data.subarray(p, p + n), this.used);
      this.used += n;
      p += n;
      if (this.used === BLOCK_DATA) this.flushBlock();
    }
  }

  private flushBlock(): void {
    if (this.used === 0) return;
    const data = this.buffer.subarray(0, this.used);
    const deflated = deflateRawSync(data, { level: this.level });
    const block = Buffer.allocUnsafe(18 + deflated.length + 8);
    block.set([0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 0xff, 6, 0, 0x42, 0x43, 2, 0], 0);
    block.writeUInt16LE(block.length - 1, 16);
    block.set(deflated, 18);
    block.writeUInt32LE(crc32(data), 18 + deflated.length);
    block.writeUInt32LE(this.used, 22 + deflated.length);
    writeSync(this.fd, block);
    this.used = 0;
  }

  close(): void {
    this.flushBlock();
    writeSync(this.fd, EOF_BLOCK);
    closeSync(this.fd);
  }

  /** Close without the EOF block (the caller deletes the partial file). */
  abort(): void {
    closeSync(this.fd);
  }
}
