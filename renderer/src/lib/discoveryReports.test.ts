import { describe, expect, it } from 'vitest';
import type { DiscoveryProgress } from '../../../shared/schemas/experiments';
import { laterReport } from './discoveryReports';

const report = (state: DiscoveryProgress['state'], foldersScanned: number, scanId = 's1'): DiscoveryProgress => ({
  scanId,
  state,
  foldersScanned,
  runsFound: 0,
  added: 0,
  updated: 0,
  unchanged: 0,
  expIds: [],
  error: null,
});

describe('laterReport', () => {
  it("keeps a scan's end when the cancel's answer (still running) arrives after the end's event", () => {
    expect(laterReport(report('cancelled', 900), report('running', 850)).state).toBe('cancelled');
    expect(laterReport(report('done', 900), report('running', 900)).state).toBe('done');
  });

  it('takes the end, and newer counts, while the scan runs', () => {
    expect(laterReport(report('running', 10), report('cancelled', 12)).state).toBe('cancelled');
    expect(laterReport(report('running', 10), report('running', 40)).foldersScanned).toBe(40);
    expect(laterReport(report('running', 40), report('running', 10)).foldersScanned).toBe(40);
  });

  it('a report of another scan replaces what is shown', () => {
    expect(laterReport(report('cancelled', 900), report('running', 0, 's2'))).toEqual(report('running', 0, 's2'));
    expect(laterReport(null, report('running', 3))).toEqual(report('running', 3));
  });
});
