import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateBadSummaryRuns, generateMinknowTree, writeMinknowRun, PROTOCOL } from '../demo/data/minknow';
import { tempDirs } from '../../tests/tempWorkspace';
import { metadataFromFinalSummary, parseProtocol, parseRunFolderName, safeExpId } from './minknow';
import { scanForRuns } from './scan';

const dirs = tempDirs('benchtop-scan-');
afterAll(() => dirs.cleanup());

describe('MinKNOW metadata', () => {
  it('reads the flow cell product and the kit out of the protocol string', () => {
    expect(parseProtocol(PROTOCOL)).toEqual({ flowCellProduct: 'FLO-PRO114M', sequencingKit: 'SQK-LSK114' });
    expect(parseProtocol('sequencing/sequencing_MIN114_DNA_e8_2_400K:FLO-MIN114:SQK-NBD114.24')).toEqual({ flowCellProduct: 'FLO-MIN114', sequencingKit: 'SQK-NBD114.24' });
    expect(parseProtocol('custom_script')).toEqual({ flowCellProduct: null, sequencingKit: null });
  });

  it('parses final_summary key=value lines, = inside values included', () => {
    const meta = metadataFromFinalSummary('instrument=X1\nflow_cell_id=FAX1\nsample_id=a=b\nprotocol=p:FLO-MIN114:SQK-RAD114\n\nnonsense\npod5_files_in_final_dest=7\npod5_files_in_fallback=2\n');
    expect(meta).toMatchObject({ instrument: 'X1', flowCellId: 'FAX1', sampleId: 'a=b', flowCellProduct: 'FLO-MIN114', sequencingKit: 'SQK-RAD114', pod5Expected: 9, started: null });
  });

  it('reads {start}_{device}_{flow_cell}_{short_id} folder names', () => {
    expect(parseRunFolderName('20240115_1423_P2S-01234-A_PAW12345_a1b2c3d4')).toEqual({
      started: '2024-01-15T14:23', instrument: 'P2S-01234-A', flowCellId: 'PAW12345', shortId: 'a1b2c3d4',
    });
    expect(parseRunFolderName('my_run')).toBeNull();
    expect(safeExpId('run 1: a/b')).toBe('run_1_a_b');
  });
});

describe('scanForRuns on a generated MinKNOW tree', () => {
  const root = join(dirs.root, 'minknow');
  const runs = generateMinknowTree(root);
  const fresh = writeMinknowRun(root, {
    folder: '20240119_1200_X3_FAX55555_e5f6a7b8',
    sample: 'live',
    flowCell: 'FAX55555',
    device: 'X3',
    protocol: PROTOCOL,
    pod5: { pod5: 1 },
    expected: null,
  });
  // Not runs: an empty folder and a folder of notes.
  mkdirSync(join(root, 'benchtop_test', 'notes'), { recursive: true });
  writeFileSync(join(root, 'benchtop_test', 'notes', 'readme.txt'), 'hello');

  it('finds every run with its state, counts and metadata', async () => {
    const progress: number[] = [];
    const result = await scanForRuns([root], { onProgress: (c) => progress.push(c.foldersScanned) });
    const byPath = new Map(result.runs.map((r) => [r.experimentPath, r]));
    expect(result.runsFound).toBe(5);
    expect(result.runs).toHaveLength(5);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toBe(result.foldersScanned);

    expect(byPath.get(runs.complete)).toMatchObject({
      suggestedId: '20240115_1423_P2S-01234-A_PAW12345_a1b2c3d4',
      instrument: 'P2S-01234-A', flowCellId: 'PAW12345', sampleId: 'plasmid_A', protocol: PROTOCOL,
      flowCellProduct: 'FLO-PRO114M', sequencingKit: 'SQK-LSK114', started: '2024-01-15T14:23:45.123456+00:00',
      protocolRunId: 'a1b2c3d4-1111-2222-3333-444455556666', pod5Count: 3, pod5Expected: 3,
      pod5Dir: join(runs.complete, 'pod5'), state: 'complete', source: 'final_summary', barcodes: [],
    });
    expect(byPath.get(runs.incomplete)).toMatchObject({ pod5Count: 2, pod5Expected: 5, state: 'incomplete_transfer' });
    expect(byPath.get(runs.interrupted)).toMatchObject({
      state: 'interrupted', source: 'folder_name', instrument: 'MN12345', flowCellId: 'FAX33333', started: '2024-01-17T10:00',
      sampleId: null, pod5Count: 1, pod5Expected: null,
    });
    expect(byPath.get(fresh)).toMatchObject({ state: 'in_progress' });
    expect(byPath.get(runs.barcoded)).toMatchObject({
      pod5Count: 6, pod5Expected: 6, state: 'complete', barcodes: ['barcode01', 'barcode02'],
      sequencingKit: 'SQK-NBD114.24', pod5Dir: runs.barcoded,
    });
  });

  it('falls back to report_*.json when there is no final_summary', async () => {
    const dir = writeMinknowRun(join(dirs.root, 'report-only'), {
      folder: 'renamed_by_hand', sample: 'rep', flowCell: 'PAW66666', device: '1A', protocol: PROTOCOL, pod5: { pod5: 2 }, expected: null, report: true, ageHours: 3,
    });
    const [run] = (await scanForRuns([dir])).runs;
    expect(run).toMatchObject({
      source: 'report', sampleId: 'rep', instrument: '1A', flowCellId: 'PAW66666', flowCellProduct: 'FLO-PRO114M',
      sequencingKit: 'SQK-NBD114.24', started: '2024-01-15T14:23:45.123456Z', state: 'interrupted', suggestedId: 'renamed_by_hand',
    });
  });
});

describe('a final_summary that cannot be trusted as written', () => {
  const root = join(dirs.root, 'bad-summaries');
  const bad = generateBadSummaryRuns(root);
  const scanned = scanForRuns([root]);
  const run = async (dir: string) => (await scanned).runs.find((r) => r.experimentPath === dir)!;
  const summaryOf = (dir: string) => join(dir, `final_summary_${basename(dir).split('_')[3]}_${basename(dir).split('_')[4]}_0a1b2c3d.txt`);

  it('a binary one: no values read, the run not complete, a warning naming the file', async () => {
    const r = await run(bad.binary);
    expect(r).toMatchObject({ state: 'interrupted', source: 'folder_name', sampleId: null, flowCellId: 'PAX00001', pod5Expected: null });
    expect(r.warnings).toEqual([{ file: summaryOf(bad.binary), message: expect.stringMatching(/^final_summary_PAX00001_0000aaaa_0a1b2c3d\.txt: not a text file \(it holds binary data\); .*not taken as complete/) }]);
  });

  it('an empty one and one without keys: the run not complete, with a warning', async () => {
    expect(await run(bad.empty)).toMatchObject({ state: 'interrupted', warnings: [{ message: expect.stringMatching(/_0000bbbb_0a1b2c3d\.txt: no key=value lines .*not taken as complete/) }] });
    expect(await run(bad.keyless)).toMatchObject({ state: 'interrupted', warnings: [{ message: expect.stringMatching(/_0000cccc_0a1b2c3d\.txt: no key=value lines/) }] });
  });

  it('started=not-a-date is not stored: the folder name gives the start, and the warning names key and value', async () => {
    const r = await run(bad.badDate);
    expect(r).toMatchObject({ state: 'complete', source: 'final_summary', started: '2024-01-20T08:00', sampleId: 'bad_0000dddd' });
    expect(r.warnings.map((w) => w.message)).toEqual(['final_summary_PAX00004_0000dddd_0a1b2c3d.txt: started="not-a-date" is not a date and time (ISO 8601); it was not stored']);
  });

  it('flow_cell_id=../../etc and sample_id=../../home are not stored', async () => {
    const r = await run(bad.pathFlowCell);
    expect(r.flowCellId).toBe('PAX00005');
    expect(r.sampleId).toBeNull();
    expect(r.warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/: flow_cell_id="\.\.\/\.\.\/etc" is not a flow cell id .*; it was not stored$/),
      expect.stringMatching(/: sample_id="\.\.\/\.\.\/home" is not a usable name .*; it was not stored$/),
    ]);
  });

  it('a count that is not a number is not stored, so the transfer cannot be checked against it', async () => {
    const r = await run(bad.badCount);
    expect(r).toMatchObject({ pod5Expected: null, state: 'complete' });
    expect(r.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/: pod5_files_in_final_dest="lots" is not a whole number; it was not stored$/)]);
  });

  it('a report_*.json is held to the same rules', async () => {
    const dir = writeMinknowRun(join(dirs.root, 'bad-report'), {
      folder: 'renamed_report', sample: 'rep', flowCell: 'PAW77777', device: '1A', protocol: PROTOCOL, pod5: { pod5: 1 }, expected: null, report: true, ageHours: 3,
    });
    const report = join(dir, readdirSync(dir).find((f) => f.startsWith('report_'))!);
    writeFileSync(report, readFileSync(report, 'utf8').replace('"PAW77777"', '"../../etc"').replace('"2024-01-15T14:23:45.123456Z"', '"yesterday"'));
    const [r] = (await scanForRuns([dir])).runs;
    expect(r).toMatchObject({ source: 'report', flowCellId: null, started: null, sampleId: 'rep' });
    expect(r!.warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/^report_PAW77777_.*\.json: protocol_run_info\.flow_cell\.flow_cell_id="\.\.\/\.\.\/etc" is not a flow cell id/),
      expect.stringMatching(/protocol_run_info\.start_time="yesterday" is not a date and time/),
    ]);
  });

  it("MinKNOW's own final_summary and report give no warning", async () => {
    const good = (await scanForRuns([join(dirs.root, 'minknow')])).runs;
    expect(good.length).toBeGreaterThan(0);
    expect(good.flatMap((r) => r.warnings)).toEqual([]);
  });
});
