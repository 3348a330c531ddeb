import { describe, expect, it } from 'vitest';
import type { JobInfo } from '../../shared/schemas/jobs';
import { createJobNoticePolicy } from './notice';

function job(over: Partial<JobInfo>): JobInfo {
  return {
    id: 1, runId: 'r', step: 'read_mapping', attempt: 2, status: 'completed', argv: [], tool: null, toolVersion: null, pid: null, pgid: null,
    createdAt: '2026-01-01T10:00:00.000Z', startedAt: '2026-01-01T10:00:00.000Z', completedAt: '2026-01-01T10:05:00.000Z',
    exitCode: 0, logFile: null, error: null, progress: null, ...over,
  };
}

describe('job notices', () => {
  it('tells of a job that ran a minute or more, once', () => {
    const notice = createJobNoticePolicy();
    expect(notice(job({}))).toMatchObject({ title: 'read_mapping finished', body: 'Attempt 2 of read_mapping finished after 5 min.' });
    expect(notice(job({}))).toBeNull();
    expect(notice(job({ id: 2, status: 'failed', exitCode: 3 }))?.title).toBe('read_mapping failed (exit code 3)');
  });

  it('keeps quiet about short, unfinished or never-started jobs', () => {
    const notice = createJobNoticePolicy();
    expect(notice(job({ completedAt: '2026-01-01T10:00:59.000Z' }))).toBeNull();
    expect(notice(job({ status: 'running', completedAt: null }))).toBeNull();
    expect(notice(job({ status: 'killed', startedAt: null }))).toBeNull();
  });
});
