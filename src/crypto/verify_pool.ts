/**
 * Ed25519 verification on worker threads, so a node's event loop keeps admitting, gossiping and executing
 * while signatures are checked on the other core(s). Requests queue while every worker is busy and go out
 * together as one batch when a worker frees up, so the batch size follows the load. A worker that fails,
 * exits or misses its deadline is replaced and its batch is verified on the calling thread: the answer is
 * always the same `verifyRaw` result, only where it is computed changes.
 */
import { Worker } from 'node:worker_threads';
import { PUBLIC_KEY_SIZE, SIGNATURE_SIZE, verifyRaw } from './ed25519.ts';

/**
 * One batch sent to a worker, packed into one transferable buffer (cloning thousands of small views, each
 * possibly a window on a large buffer, costs more than the verifications): item i's 32-byte public key
 * and 64-byte signature at `i * 96`, its message from `messageEnds[i - 1]` (or the end of the keys and
 * signatures) to `messageEnds[i]`. Malformed keys or signatures are answered without being sent.
 */
export interface VerifyBatch {
  id: number;
  data: Uint8Array<ArrayBuffer>;
  messageEnds: Uint32Array<ArrayBuffer>;
}

/** Bytes of one item's public key and signature in a batch. */
export const KEY_AND_SIGNATURE_SIZE = PUBLIC_KEY_SIZE + SIGNATURE_SIZE;

/** A worker's answer: one byte per item of the batch, 1 when the signature is valid. */
export interface VerifyBatchResult {
  id: number;
  ok: Uint8Array<ArrayBuffer>;
}

/** Something that verifies raw Ed25519 signatures asynchronously (a pool, or the calling thread). */
export type AsyncVerifier = (
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
) => Promise<boolean>;

/** Sizing of a pool. */
export interface VerifyPoolOptions {
  /** Worker threads (default 1: with the main thread, two cores busy). */
  threads?: number;
  /** Most signatures in one batch. */
  maxBatch?: number;
  /** A batch not answered within this many ms is verified on the calling thread instead. */
  deadlineMs?: number;
}

interface Request {
  publicKey: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
  resolve: (ok: boolean) => void;
}

interface Slot {
  worker: Worker;
  /** The batch in flight, if any, with its deadline timer. */
  busy?: { id: number; requests: Request[]; timer: NodeJS.Timeout };
}

const MAX_FAILURES = 5;
const WORKER_ENTRY = new URL('./verify_worker.mjs', import.meta.url);

/** A pool of verification workers. */
export class VerifyPool {
  readonly #slots: Slot[] = [];
  readonly #queue: Request[] = [];
  readonly #maxBatch: number;
  readonly #deadlineMs: number;
  #nextId = 0;
  #closed = false;
  /** A dispatch is scheduled for the end of this turn of the event loop. */
  #dispatchScheduled = false;
  #batchesSent = 0;
  /** Workers lost in a row without an answer; past `MAX_FAILURES` the pool verifies on the calling thread. */
  #failures = 0;

  constructor(opts: VerifyPoolOptions = {}) {
    this.#maxBatch = opts.maxBatch ?? 1024;
    this.#deadlineMs = opts.deadlineMs ?? 10_000;
    for (let i = 0; i < (opts.threads ?? 1); i++) this.#slots.push(this.#spawn());
  }

  /** Verifies like `verifyRaw` (false for any malformed input), on a worker when one is available. */
  verify: AsyncVerifier = (publicKey, message, signature) => {
    const wellFormed = publicKey.length === PUBLIC_KEY_SIZE && signature.length === SIGNATURE_SIZE;
    if (this.#closed || !wellFormed) return Promise.resolve(verifyRaw(publicKey, message, signature));
    return new Promise((resolve) => {
      this.#queue.push({ publicKey, message, signature, resolve });
      this.#scheduleDispatch();
    });
  };

  /**
   * Dispatches once the current turn of the event loop is done, so requests arriving together (the
   * transactions of one gossiped batch, many client submissions read at once) leave in one message:
   * posting one batch per signature cost about half as much as verifying it.
   */
  #scheduleDispatch(): void {
    if (this.#dispatchScheduled) return;
    this.#dispatchScheduled = true;
    setImmediate(() => {
      this.#dispatchScheduled = false;
      this.#dispatch();
    });
  }

  /** Batches posted to workers so far (how well requests are gathered; metrics and tests). */
  get batchesSent(): number {
    return this.#batchesSent;
  }

  /** Stops the workers; queued and later requests are verified on the calling thread. */
  async close(): Promise<void> {
    this.#closed = true;
    const slots = this.#slots.splice(0);
    for (const slot of slots) this.#failBatch(slot);
    this.#drainInline(this.#queue.splice(0));
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  #spawn(): Slot {
    // The worker loads its own TypeScript loader; the parent's flags (e.g. `--import` of a .ts file) would
    // run before it and fail.
    const worker = new Worker(WORKER_ENTRY, { execArgv: [] });
    worker.unref();
    const slot: Slot = { worker };
    worker.on('message', (result: VerifyBatchResult) => {
      const busy = slot.busy;
      if (!busy || busy.id !== result.id) return;
      clearTimeout(busy.timer);
      slot.busy = undefined;
      this.#failures = 0;
      for (const [i, r] of busy.requests.entries()) r.resolve(result.ok[i] === 1);
      this.#dispatch();
    });
    const replace = () => this.#replace(slot);
    worker.on('error', replace);
    worker.on('exit', replace);
    return slot;
  }

  /** Verifies a lost batch here and puts a fresh worker in the slot's place. */
  #replace(slot: Slot): void {
    const at = this.#slots.indexOf(slot);
    if (at < 0) return;
    this.#failBatch(slot);
    slot.worker.removeAllListeners();
    void slot.worker.terminate();
    this.#failures++;
    if (this.#failures > MAX_FAILURES) this.#closed = true;
    if (this.#closed) {
      this.#slots.splice(at, 1);
      this.#drainInline(this.#queue.splice(0));
      return;
    }
    this.#slots[at] = this.#spawn();
    this.#dispatch();
  }

  #failBatch(slot: Slot): void {
    const busy = slot.busy;
    if (!busy) return;
    clearTimeout(busy.timer);
    slot.busy = undefined;
    this.#drainInline(busy.requests);
  }

  #drainInline(requests: Request[]): void {
    for (const r of requests) r.resolve(verifyRaw(r.publicKey, r.message, r.signature));
  }

  #dispatch(): void {
    for (const slot of this.#slots) {
      if (this.#queue.length === 0) return;
      if (slot.busy) continue;
      const requests = this.#queue.splice(0, this.#maxBatch);
      const id = this.#nextId++;
      const timer = setTimeout(() => this.#replace(slot), this.#deadlineMs);
      timer.unref();
      slot.busy = { id, requests, timer };
      const batch = packBatch(id, requests);
      this.#batchesSent++;
      slot.worker.postMessage(batch, [batch.data.buffer, batch.messageEnds.buffer]);
    }
  }
}

function packBatch(id: number, requests: Request[]): VerifyBatch {
  let size = requests.length * KEY_AND_SIGNATURE_SIZE;
  for (const r of requests) size += r.message.length;
  const data = new Uint8Array(size);
  const messageEnds = new Uint32Array(requests.length);
  let at = requests.length * KEY_AND_SIGNATURE_SIZE;
  requests.forEach((r, i) => {
    data.set(r.publicKey, i * KEY_AND_SIGNATURE_SIZE);
    data.set(r.signature, i * KEY_AND_SIGNATURE_SIZE + PUBLIC_KEY_SIZE);
    data.set(r.message, at);
    at += r.message.length;
    messageEnds[i] = at;
  });
  return { id, data, messageEnds };
}

/** Verifies every item of a packed batch (run by the worker). */
export function verifyBatch(batch: VerifyBatch): Uint8Array<ArrayBuffer> {
  const n = batch.messageEnds.length;
  const ok = new Uint8Array(n);
  let start = n * KEY_AND_SIGNATURE_SIZE;
  for (let i = 0; i < n; i++) {
    const base = i * KEY_AND_SIGNATURE_SIZE;
    const end = batch.messageEnds[i]!;
    const publicKey = batch.data.subarray(base, base + PUBLIC_KEY_SIZE);
    const signature = batch.data.subarray(base + PUBLIC_KEY_SIZE, base + KEY_AND_SIGNATURE_SIZE);
    ok[i] = verifyRaw(publicKey, batch.data.subarray(start, end), signature) ? 1 : 0;
    start = end;
  }
  return ok;
}
