/**
 * Just enough of ZIP to read one member of a small archive (FastQC's `<name>_fastqc.zip` when it
 * was not extracted): the central directory, stored or deflated members. No zip64, no encryption.
 */
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { ReportError } from './report';

export function listZip(path: string): Map<string, () => Buffer> {
  const buf = readFileSync(path);
  const fail = (why: string) => new ReportError(path, `not a readable zip archive (${why})`);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw fail('no end-of-central-directory record');
  const entries = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const members = new Map<string, () => Buffer>();
  for (let n = 0; n < entries; n++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== 0x02014b50) throw fail('bad central directory');
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLen);
    members.set(name, () => {
      if (buf.readUInt32LE(local) !== 0x04034b50) throw fail(`bad local header for ${name}`);
      const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      const data = buf.subarray(start, start + size);
      if (method === 0) return Buffer.from(data);
      if (method === 8) {
        try {
          return inflateRawSync(data);
        } catch (err) {
          throw fail(`${name}: ${(err as Error).message}`);
        }
      }
      throw fail(`${name}: compression method ${method} is not supported`);
    });
    at += 46 + nameLen + extraLen + commentLen;
  }
  return members;
}
