import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { prng } from '../../demo/data/random';
import { readSequencingSummary } from './summary';

const root = mkdtempSync(join(tmpdir(), 'benchtop-summary-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const HEADER = 'filename\tread_id\trun_id\tchannel\tmux\tstart_time\tduration\tpasses_filtering\tend_reason\tsequence_length_template\tmean_qscore_template';

interface Row {
  channel: number;
  start: number;
  duration: number;
  pass: boolean;
  reason: string;
  length: number;
}

/** A generated run: 3 hours, 512 channels of which only the first 100 work after hour 2. */
function generate(reads: number): Row[] {
  const rand = prng(3);
  const reasons = ['signal_positive', 'signal_positive', 'signal_positive', 'unblock_mux_change', 'data_service_unblock_mux_change', 'signal_negative'];
  return Array.from({ length: reads }, () => {
    const start = rand() * 3 * 3600;
    return {
      channel: 1 + Math.floor(rand() * (start >= 7200 ? 100 : 512)),
      start,
      duration: 1 + rand() * 20,
      pass: rand() < 0.8,
      reason: reasons[Math.floor(rand() * reasons.length)]!,
      length: 200 + Math.floor(rand() * 20000),
    };
  });
}

function write(rows: Row[], name: string, gzip = false): string {
  const text = [HEADER, ...rows.map((r, i) => `x.pod5\tread-${i}\trun\t${r.channel}\t1\t${r.start.toFixed(4)}\t${r.duration.toFixed(4)}\t${r.pass ? 'TRUE' : 'FALSE'}\t${r.reason}\t${r.length}\t12.5`)].join('\n') + '\n';
  const path = join(root, name);
  writeFileSync(path, gzip ? gzipSync(text) : text);
  return path;
}

describe('sequencing summary', () => {
  const rows = generate(20000);

  it('yield over time, active channels and end reasons match the generated rows', async () => {
    const s = await readSequencingSummary(write(rows, 'sequencing_summary.txt'));
    expect(s.reads).toBe(rows.length);
    expect(s.bases).toBe(rows.reduce((a, r) => a + r.length, 0));
    expect(s.passedReads).toBe(rows.filter((r) => r.pass).length);
    expect(s.activeChannels).toBe(new Set(rows.map((r) => r.channel)).size);
    const first = Math.min(...rows.map((r) => r.start));
    const last = Math.max(...rows.map((r) => r.start + r.duration));
    expect(s.runHours).toBeCloseTo((last - first) / 3600, 3);
    // 180 minutes → 2-minute bins (at most 150 bins).
    expect(s.binMinutes).toBe(2);
    expect(s.timeBins).toHaveLength(90);
    s.timeBins.forEach((bin, b) => {
      const inBin = rows.filter((r) => Math.floor(Number(r.start.toFixed(4)) / 120) === b);
      expect(bin).toEqual({ startHours: (b * 2) / 60, reads: inBin.length, bases: inBin.reduce((a, r) => a + r.length, 0), activeChannels: new Set(inBin.map((r) => r.channel)).size });
    });
    expect(Math.max(...s.timeBins.slice(60).map((b) => b.activeChannels))).toBeLessThanOrEqual(100);
    expect(s.endReasons!.map((e) => e.endReason)[0]).toBe('signal_positive');
    for (const e of s.endReasons!) {
      const mine = rows.filter((r) => r.reason === e.endReason);
      expect(e).toEqual({ endReason: e.endReason, reads: mine.length, bases: mine.reduce((a, r) => a + r.length, 0), fraction: mine.length / rows.length });
    }
    expect(s.endReasons!.reduce((a, e) => a + e.reads, 0)).toBe(rows.length);
    expect(await readSequencingSummary(write(rows, 'sequencing_summary.txt.gz', true))).toEqual({ ...s, file: join(root, 'sequencing_summary.txt.gz') });
  });

  it('without optional columns: no end reasons, no pass count', async () => {
    const path = join(root, 'minimal.tsv');
    writeFileSync(path, 'channel\tstart_time\tsequence_length_template\n5\t10\t100\n7\t70\t50\n5\t75\t25\n');
    const s = await readSequencingSummary(path);
    expect(s).toMatchObject({ reads: 3, bases: 175, passedReads: null, endReasons: null, activeChannels: 2, binMinutes: 1 });
    expect(s.timeBins).toEqual([
      { startHours: 0, reads: 1, bases: 100, activeChannels: 1 },
      { startHours: 1 / 60, reads: 2, bases: 75, activeChannels: 2 },
    ]);
  });

  it('bad input names the file and the line or column', async () => {
    const bad = join(root, 'bad.tsv');
    writeFileSync(bad, 'read_id\tchannel\tstart_time\n');
    await expect(readSequencingSummary(bad)).rejects.toThrow(`${bad}: not a sequencing summary: the header has no sequence_length_template column`);
    writeFileSync(bad, 'channel\tstart_time\tsequence_length_template\n5\t10\t100\n5\tsoon\t100\n');
    await expect(readSequencingSummary(bad)).rejects.toThrow(`${bad} line 3: start_time is not a number ≥ 0 ("soon")`);
    writeFileSync(bad, '');
    await expect(readSequencingSummary(bad)).rejects.toThrow(`${bad}: the sequencing summary is empty`);
    // A table's line is a few hundred bytes: one of more than 1 MiB is a broken file, stopped there.
    writeFileSync(bad, `channel\tstart_time\tsequence_length_template\n5\t10\t100\n5\t10\t${'9'.repeat((1 << 20) + 1)}\n`);
    await expect(readSequencingSummary(bad)).rejects.toThrow(`${bad}: line 3: line longer than 1 MiB`);
  });
});
