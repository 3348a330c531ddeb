import { describe, expect, it } from 'vitest';
import type { ApiResult } from '../../../shared/errors';
import { retryWhileBusy } from './retry';

const busy: ApiResult<number> = { ok: false, error: { code: 'busy', message: 'The database /w/benchtop.db is busy with another task; try again in a moment.' } };

/** A fake bridge: answers from a script, one answer per call, and counts the calls. */
function fakeBridge(answers: Array<ApiResult<number>>) {
  let calls = 0;
  return {
    invoke: () => Promise.resolve(answers[Math.min(calls++, answers.length - 1)]!),
    calls: () => calls,
  };
}

describe('retryWhileBusy', () => {
  const waited: number[] = [];
  const sleep = (ms: number) => {
    waited.push(ms);
    return Promise.resolve();
  };

  it('asks again while busy, waiting longer each time, and returns the first real answer', async () => {
    waited.length = 0;
    const bridge = fakeBridge([busy, busy, { ok: true, value: 7 }]);
    expect(await retryWhileBusy(bridge.invoke, [10, 20, 40], sleep)).toEqual({ ok: true, value: 7 });
    expect(bridge.calls()).toBe(3);
    expect(waited).toEqual([10, 20]);
  });

  it('gives the busy answer back once the retries are spent', async () => {
    waited.length = 0;
    const bridge = fakeBridge([busy]);
    expect(await retryWhileBusy(bridge.invoke, [10, 20], sleep)).toEqual(busy);
    expect(bridge.calls()).toBe(3);
  });

  it('never repeats another error', async () => {
    waited.length = 0;
    const refused: ApiResult<number> = { ok: false, error: { code: 'read_only', message: 'This workspace is read-only.' } };
    const bridge = fakeBridge([refused, { ok: true, value: 1 }]);
    expect(await retryWhileBusy(bridge.invoke, [10, 20], sleep)).toEqual(refused);
    expect(bridge.calls()).toBe(1);
    expect(waited).toEqual([]);
  });
});
