/**
 * The body of a signature-verification worker thread: answers each batch of the pool's requests with one
 * byte per item (1 = valid), using the very `verifyRaw` the main thread uses (`verifyBatch`), so the answer cannot differ.
 */
import { parentPort } from 'node:worker_threads';
import { type VerifyBatch, type VerifyBatchResult, verifyBatch } from './verify_pool.ts';

parentPort?.on('message', (batch: VerifyBatch) => {
  const ok = verifyBatch(batch);
  const result: VerifyBatchResult = { id: batch.id, ok };
  parentPort!.postMessage(result, [ok.buffer]);
});
