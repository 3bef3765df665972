/**
 * Admission checks of transactions arriving together (client submissions, gossip) gathered into one
 * runtime-host call instead of one call each: a check waits for the current call to return (or for the
 * next turn of the event loop), then goes with everything else that arrived meanwhile, up to `maxBatch`.
 */
import type { CheckTxResult } from '../../protocol/types.ts';

/** Checks a batch of transactions; one result per input, in order. */
export type CheckBatch = (inputs: Uint8Array[]) => Promise<CheckTxResult[]>;

interface Waiting {
  tx: Uint8Array;
  resolve(r: CheckTxResult): void;
  reject(err: unknown): void;
}

/** Most transactions in one check call by default. */
export const DEFAULT_CHECK_BATCH = 512;

/** Batches admission checks; at most one check call runs at a time. */
export class CheckBatcher {
  readonly #check: CheckBatch;
  readonly #maxBatch: number;
  #waiting: Waiting[] = [];
  #busy = false;

  constructor(check: CheckBatch, maxBatch = DEFAULT_CHECK_BATCH) {
    this.#check = check;
    this.#maxBatch = maxBatch;
  }

  /** The runtime's check of `tx` (rejects when the call itself fails). */
  check(tx: Uint8Array): Promise<CheckTxResult> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ tx, resolve, reject });
      if (!this.#busy && this.#waiting.length === 1) setImmediate(() => void this.#flush());
    });
  }

  async #flush(): Promise<void> {
    if (this.#busy || this.#waiting.length === 0) return;
    this.#busy = true;
    const turn = this.#waiting.splice(0, this.#maxBatch);
    try {
      const results = await this.#check(turn.map((w) => w.tx));
      turn.forEach((w, i) => {
        const r = results[i];
        if (r === undefined) w.reject(new Error('runtime answered fewer check results than inputs'));
        else w.resolve(r);
      });
    } catch (err) {
      for (const w of turn) w.reject(err);
    } finally {
      this.#busy = false;
      if (this.#waiting.length > 0) setImmediate(() => void this.#flush());
    }
  }
}
