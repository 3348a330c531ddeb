/** Worker thread entry (built to dist/cli/ingestWorker.js): distances for batches of reads. */
import { parentPort, workerData } from 'node:worker_threads';
import { computeBatch, prepareReferences, type DistanceBatch } from './distanceBatch';

const refs = prepareReferences((workerData as { refs: string[] }).refs);

parentPort?.on('message', (message: { id: number; batch: DistanceBatch }) => {
  const result = computeBatch(refs, message.batch);
  parentPort?.postMessage({ id: message.id, result }, [result.ed.buffer, result.reverse.buffer]);
});
