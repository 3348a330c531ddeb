import { appendFileSync, mkdtempSync, openSync, readFileSync, readSync, closeSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogChunk } from '../../shared/schemas/jobs';
import { LogFollower, readLog, searchLog, tailLog, utf8End, utf8Start } from './logs';
import { harness, sleep, waitDone, waitFor, type Harness } from './testkit';

let h: Harness | undefined;
const temps: string[] = [];
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

function byteAt(file: string, offset: number): number {
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, offset);
    return b[0]!;
  } finally {
    closeSync(fd);
  }
}

const LINES = 60_000;
/** A node program printing LINES numbered lines with multi-byte characters (~4 MB). */
const BIG_LOG_SCRIPT = `
const lines = [];
for (let i = 1; i <= ${LINES}; i++) lines.push('line ' + String(i).padStart(6, '0') + ' αβγ 漢字 ' + 'x'.repeat(40));
process.stdout.write(lines.join('\\n') + '\\n');
`;

function tempFile(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'benchtop-logs-'));
  temps.push(dir);
  return join(dir, name);
}

describe('UTF-8 boundaries', () => {
  it('never cuts a character in two', () => {
    const e = Buffer.from('aé漢😀');
    // a | é(2) | 漢(3) | 😀(4)
    expect(utf8End(e, 2)).toBe(1);
    expect(utf8End(e, 3)).toBe(3);
    expect(utf8End(e, 5)).toBe(3);
    expect(utf8End(e, 6)).toBe(6);
    expect(utf8End(e, 9)).toBe(6);
    expect(utf8End(e, 10)).toBe(10);
    expect(utf8Start(e.subarray(2))).toBe(1);
    expect(utf8Start(e.subarray(4))).toBe(2);
    expect(utf8Start(e.subarray(7))).toBe(3);
    expect(utf8Start(e)).toBe(0);
  });
});

describe('reading a multi-MB log a job wrote', () => {
  it('tails, reads and searches it without loading it whole', async () => {
    h = harness();
    const x = h;
    const job = x.runner.enqueue({
      runId: 'run1',
      step: 'qc',
      argv: [process.execPath, '-e', BIG_LOG_SCRIPT],
      tool: 'node',
      toolVersion: process.version,
      cwd: join(x.dir, 'runs/run1/qc'),
    });
    const done = await waitDone(x.runner, job.id);
    expect(done.status).toBe('completed');
    const file = join(x.dir, done.logFile!);
    const size = statSync(file).size;
    expect(size).toBeGreaterThan(3_000_000);

    // tail: at most maxBytes, starting at a line's start, ending at the file's end
    const tail = await x.runner.logTail(job.id, 65_536);
    expect(Buffer.byteLength(tail.text)).toBeLessThanOrEqual(65_536);
    expect(Buffer.byteLength(tail.text)).toBeGreaterThan(60_000);
    expect(tail.size).toBe(size);
    expect(tail.next).toBe(size);
    expect(byteAt(file, tail.offset - 1)).toBe(0x0a);
    expect(tail.text.startsWith('line ')).toBe(true);
    expect(tail.text.endsWith(`line ${String(LINES).padStart(6, '0')} αβγ 漢字 ${'x'.repeat(40)}\n`)).toBe(true);
    expect(tail.text).not.toContain('\uFFFD');
    const small = await x.runner.logTail(job.id, 100);
    expect(small.text.split('\n').filter(Boolean)).toHaveLength(1);

    // read: slices end at line ends, and go on from `next`
    const first = await x.runner.logRead(job.id, 0, 1000);
    expect(first.offset).toBe(0);
    expect(first.text.endsWith('\n')).toBe(true);
    expect(first.next).toBe(Buffer.byteLength(first.text));
    const second = await x.runner.logRead(job.id, first.next, 1000);
    expect(second.text.startsWith('line ')).toBe(true);
    expect(readFileSync(file).subarray(0, second.next).toString('utf8')).toBe(first.text + second.text);
    // an offset inside a character starts at the next whole one
    const alpha = Buffer.from('line 000001 ').length; // α starts here, 2 bytes
    const inside = await x.runner.logRead(job.id, alpha + 1, 50);
    expect(inside.offset).toBe(alpha + 2);
    expect(inside.text.startsWith('βγ')).toBe(true);
    const end = await x.runner.logRead(job.id, size, 100);
    expect(end).toEqual({ text: '', offset: size, next: size, size });

    // search: line numbers and byte offsets
    const found = await x.runner.logSearch(job.id, 'LINE 012345 ');
    expect(found.truncated).toBe(false);
    expect(found.matches).toHaveLength(1);
    expect(found.matches[0]!.line).toBe(12345);
    expect(found.matches[0]!.text.startsWith('line 012345 αβγ')).toBe(true);
    const at = await x.runner.logRead(job.id, found.matches[0]!.offset, 11);
    expect(at.text).toBe('line 012345');
    const many = await x.runner.logSearch(job.id, '漢字', 10);
    expect(many.truncated).toBe(true);
    expect(many.matches.map((m) => m.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await x.runner.logSearch(job.id, 'not in there')).toEqual({ matches: [], truncated: false });
    const last = await x.runner.logSearch(job.id, `line ${String(LINES).padStart(6, '0')}`);
    expect(last.matches.map((m) => m.line)).toEqual([LINES]);
  });

  it('refuses a log path that leaves the workspace', async () => {
    h = harness();
    const outside = tempFile('secret.log');
    writeFileSync(outside, 'secret\n');
    const id = Number(
      h.workspace.db
        .prepare(
          "INSERT INTO jobs (run_id, step_name, attempt, status, argv, created_at, log_file) VALUES ('run1', 'qc', 1, 'failed', '[]', '2024-01-01', ?)",
        )
        .run(`runs/../../../../../../../../..${outside}`).lastInsertRowid,
    );
    await expect(h.runner.logTail(id)).rejects.toThrow(/outside the workspace/);
    await expect(h.runner.logSearch(id, 'secret')).rejects.toThrow(/outside the workspace/);
  });

  it('a job without a log yet reads as empty', async () => {
    h = harness({ maxConcurrent: 1 });
    const cwd = join(h.dir, 'runs/run1/qc');
    const a = h.runner.enqueue({ runId: 'run1', step: 'qc', argv: ['sleep', '300'], tool: null, toolVersion: null, cwd });
    const b = h.runner.enqueue({ runId: 'run1', step: 'qc', argv: ['true'], tool: null, toolVersion: null, cwd });
    expect(await h.runner.logTail(b.id)).toEqual({ text: '', offset: 0, next: 0, size: 0 });
    expect((await h.runner.logSearch(b.id, 'x')).matches).toEqual([]);
    await h.runner.killAndWait(a.id);
  });
});

describe('following logs live', () => {
  it('delivers appended lines in order, within a second of being written', async () => {
    h = harness();
    const script = `
let i = 0;
const t = setInterval(() => {
  i++;
  console.log('tick ' + i + ' ' + Date.now());
  if (i === 8) clearInterval(t);
}, 150);`;
    const job = h.runner.enqueue({ runId: 'run1', step: 'qc', argv: [process.execPath, '-e', script], tool: null, toolVersion: null, cwd: h.dir });
    const done = await waitDone(h.runner, job.id);
    const chunks = h.recorder.logs(job.id);
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    let offset = 0;
    for (const c of chunks) {
      expect(c.offset).toBe(offset);
      offset += Buffer.byteLength(c.text);
    }
    const file = readFileSync(join(h.dir, done.logFile!), 'utf8');
    expect(chunks.map((c) => c.text).join('')).toBe(file);
    for (const c of chunks) {
      for (const line of c.text.split('\n').filter(Boolean)) {
        const written = Number(line.split(' ')[2]);
        expect(c.at - written).toBeLessThan(1000);
      }
    }
    expect(file.split('\n').filter(Boolean).map((l) => l.split(' ')[1])).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
  });

  it('sends only the newest 64 KB of a burst, with its true offset, starting at a line', async () => {
    h = harness();
    const script = `
const line = 'burst line with some text 漢字 ' + 'y'.repeat(60) + '\\n';
process.stdout.write(line.repeat(100000));
setTimeout(() => process.stdout.write('END\\n'), 700);`;
    const job = h.runner.enqueue({ runId: 'run1', step: 'qc', argv: [process.execPath, '-e', script], tool: null, toolVersion: null, cwd: h.dir });
    const done = await waitDone(h.runner, job.id);
    const file = join(h.dir, done.logFile!);
    const size = statSync(file).size;
    const chunks = h.recorder.logs(job.id);
    const total = chunks.reduce((n, c) => n + Buffer.byteLength(c.text), 0);
    expect(total).toBeLessThan(size / 4);
    let previousEnd = 0;
    const content = readFileSync(file);
    for (const c of chunks) {
      expect(Buffer.byteLength(c.text)).toBeLessThanOrEqual(64 * 1024);
      expect(c.offset).toBeGreaterThanOrEqual(previousEnd);
      expect(c.offset === 0 || content[c.offset - 1] === 0x0a).toBe(true);
      expect(content.subarray(c.offset, c.offset + Buffer.byteLength(c.text)).toString('utf8')).toBe(c.text);
      expect(c.text).not.toContain('\uFFFD');
      previousEnd = c.offset + Buffer.byteLength(c.text);
    }
    expect(previousEnd).toBe(size);
    expect(chunks.at(-1)!.text.endsWith('END\n')).toBe(true);
  });

  it('sends a partial line after a moment, and never splits a character', async () => {
    const file = tempFile('partial.log');
    writeFileSync(file, '');
    const got: LogChunk[] = [];
    const follower = new LogFollower({ file, jobId: 1, offset: 0, emit: (c) => got.push(c), partialLineMs: 200, pollMs: 50 });
    follower.start();
    try {
      const e = Buffer.from('é');
      appendFileSync(file, Buffer.concat([Buffer.from('abc'), e.subarray(0, 1)]));
      await waitFor(() => got.length >= 1, 3000, 'the partial line');
      expect(got[0]).toEqual({ jobId: 1, offset: 0, text: 'abc' });
      appendFileSync(file, Buffer.concat([e.subarray(1), Buffer.from('z\nnext\n')]));
      await waitFor(() => got.length >= 2, 3000, 'the rest');
      expect(got[1]).toEqual({ jobId: 1, offset: 3, text: 'éz\nnext\n' });
      appendFileSync(file, 'tail without end');
      await follower.stop();
      expect(got.at(-1)).toEqual({ jobId: 1, offset: 12, text: 'tail without end' });
    } finally {
      follower.dispose();
    }
  });

  it('a job printing without newlines still shows up within a second or two', async () => {
    h = harness();
    const job = h.runner.enqueue({ runId: 'run1', step: 'qc', argv: ['sh', '-c', 'printf "no newline yet"; sleep 5'], tool: null, toolVersion: null, cwd: h.dir });
    const t0 = Date.now();
    await waitFor(() => h!.recorder.logs(job.id).some((c) => c.text.includes('no newline yet')), 4000, 'the partial line');
    expect(Date.now() - t0).toBeLessThan(2500);
    await h.runner.killAndWait(job.id);
    await sleep(50);
  });
});

describe('searchLog and tailLog on plain files', () => {
  it('handles CRLF, a last line without newline, and a missing file', async () => {
    const file = tempFile('crlf.log');
    writeFileSync(file, 'alpha\r\nbeta\r\ngamma beta');
    const r = await searchLog(file, 'beta');
    expect(r.matches).toEqual([
      { line: 2, offset: 7, text: 'beta' },
      { line: 3, offset: 13, text: 'gamma beta' },
    ]);
    expect(await searchLog(join(tmpdir(), 'does-not-exist-benchtop.log'), 'x')).toEqual({ matches: [], truncated: false });
    expect((await tailLog(file, 1000)).text).toBe('alpha\r\nbeta\r\ngamma beta');
    expect((await tailLog(file, 12)).text).toBe('gamma beta');
    expect((await readLog(file, 0, 9)).text).toBe('alpha\r\n');
  });
});
