import { describe, expect, it } from 'vitest';
import type { Experiment } from '../../../../shared/schemas/experiments';
import { shortFolder, sortExperiments } from './ExperimentsTable';

const exp = (expId: string, pod5Count: number | null, started: string | null): Experiment => ({
  expId, experimentPath: null, instrument: null, flowCellId: expId, sampleId: null, protocol: null, started, pod5Count, pod5Dir: null, createdAt: null,
  flowCellProduct: null, sequencingKit: null, protocolRunId: null, pod5Expected: null, runState: null, source: null, scannedAt: null, basecallRuns: 0, warnings: [],
});

describe('the experiments table', () => {
  it("shows the folder a run is in, its end when long", () => {
    expect(shortFolder('/data/minknow/run_1')).toBe('/data/minknow');
    expect(shortFolder('/mnt/archive/2024/lab_copies/project_alpha/benchtop_test/sample_12/20240201_1200_X_PBA1_abc')).toBe('…/benchtop_test/sample_12');
    expect(shortFolder(null)).toBeNull();
  });

  it('sorts either way with missing values last', () => {
    const rows = [exp('b', 2, null), exp('a', null, '2024-01-02'), exp('c', 10, '2024-01-01')];
    expect(sortExperiments(rows, { key: 'pod5Count', dir: -1 }).map((e) => e.expId)).toEqual(['c', 'b', 'a']);
    expect(sortExperiments(rows, { key: 'pod5Count', dir: 1 }).map((e) => e.expId)).toEqual(['b', 'c', 'a']);
    expect(sortExperiments(rows, { key: 'started', dir: 1 }).map((e) => e.expId)).toEqual(['c', 'a', 'b']);
    expect(sortExperiments(rows, null)).toBe(rows);
  });
});
