/**
 * Waits for many transactions' receipts the way a high-volume client does: one poll of the block number
 * per interval, each new block read once, and a receipt fetched only for a waited-for transaction the block
 * holds (ethers batches the calls) — instead of ethers' `tx.wait()`, which asks for every pending
 * transaction's receipt on every poll (20 calls a transaction at 100 ms polls and 2 s latency).
 */
import type { JsonRpcProvider, TransactionReceipt } from 'ethers';

interface Waiter {
  resolve(r: TransactionReceipt): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/** Block-driven receipt waits over one provider. */
export class BlockReceipts {
  readonly #provider: JsonRpcProvider;
  readonly #waiters = new Map<string, Waiter>();
  #next: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  #polling = false;

  constructor(provider: JsonRpcProvider, pollMs: number) {
    this.#provider = provider;
    this.#timer = setInterval(() => void this.#poll(), pollMs);
  }

  /** Resolves with the receipt of `hash` (register before sending it); rejects after `timeoutMs`. */
  wait(hash: string, timeoutMs: number): Promise<TransactionReceipt> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(hash);
        reject(new Error(`no receipt for ${hash} in ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.set(hash, { resolve, reject, timer });
    });
  }

  /** Stops polling; pending waits fail. */
  stop(): void {
    clearInterval(this.#timer);
    for (const [hash, w] of this.#waiters) {
      clearTimeout(w.timer);
      w.reject(new Error(`stopped before a receipt for ${hash}`));
    }
    this.#waiters.clear();
  }

  async #poll(): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    try {
      const head = Number(await this.#provider.send('eth_blockNumber', []));
      this.#next ??= head;
      for (; this.#next <= head; this.#next++) {
        const block = await this.#provider.getBlock(this.#next);
        const mine = (block?.transactions ?? []).filter((h) => this.#waiters.has(h));
        const receipts = await Promise.all(mine.map((h) => this.#provider.getTransactionReceipt(h)));
        receipts.forEach((r, i) => {
          const w = this.#waiters.get(mine[i]!);
          if (r === null || w === undefined) return;
          this.#waiters.delete(mine[i]!);
          clearTimeout(w.timer);
          w.resolve(r);
        });
      }
    } catch {
      // A failed poll is retried on the next tick.
    } finally {
      this.#polling = false;
    }
  }
}
