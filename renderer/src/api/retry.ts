import type { ApiResult } from '../../../shared/errors';

/** Waits before each retry of a busy answer: about 7 s in all, beyond the server's own 5 s busy timeout per try. */
export const BUSY_RETRY_DELAYS_MS = [250, 750, 2000, 4000] as const;

/**
 * Calls `invoke` again while the answer is `busy` (another process holds the database for a
 * moment), waiting longer each time; any other answer, or the last busy one, is returned as it is.
 */
export async function retryWhileBusy<T>(
  invoke: () => Promise<ApiResult<T>>,
  delays: readonly number[] = BUSY_RETRY_DELAYS_MS,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<ApiResult<T>> {
  let result = await invoke();
  for (const delay of delays) {
    if (result.ok || result.error.code !== 'busy') return result;
    await sleep(delay);
    result = await invoke();
  }
  return result;
}
