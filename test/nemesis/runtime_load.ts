/**
 * ParaTime load for the nemesis: each client owns a funded test account and sends an accounts.Transfer of
 * one unit, one transaction at a time, with `RuntimeClient.SubmitTxMeta` (which answers once the
 * transaction is in a runtime block) through a compute or client node's gRPC-web. After an unknown answer
 * the same bytes go to the next node, up to three times, then the nonce is read again. Every attempt is
 * recorded for the ParaTime history checker.
 */
import * as oasis from '@oasisprotocol/client';
import { toHex } from '../../src/codec/bytes.ts';
import type { LocalnetManifest, LocalnetNode } from '../../src/localnet/manifest.ts';
import { within } from '../api/services/deadlines.ts';
import { ParaTimeClient } from '../e2e/paratime_client.ts';

/** What one runtime submission attempt was told. */
export type RuntimeOutcome =
  /** In the runtime block of `round`; `ok` is whether the call succeeded. */
  | { kind: 'ack'; round: bigint; ok: boolean }
  /** Refused by the node's check (or, after an unknown attempt, its nonce already used). */
  | { kind: 'refused'; error: string }
  /** No answer in time (node, runtime or link down): applied or not. */
  | { kind: 'unknown'; error: string };

/** One attempt of one runtime transaction. */
export interface RuntimeAttempt {
  client: number;
  node: string;
  /** Hex hash of the transaction bytes (as the runtime block's transaction list hashes them). */
  hash: string;
  nonce: bigint;
  outcome: RuntimeOutcome;
}

/** Deadline of one `SubmitTxMeta`: a few rounds, short against a dead runtime or a cut link. */
const SUBMIT_DEADLINE_MS = 20_000;
/** Deadline of a nonce read or of signing (which reads the chain context once). */
const READ_DEADLINE_MS = 5_000;
const RESUBMITS = 3;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Options of the ParaTime load. */
export interface RuntimeLoadOptions {
  net: LocalnetManifest;
  /** Nodes hosting the runtime that clients submit through (rotating after each unknown answer). */
  nodes: LocalnetNode[];
  clients: number;
  /** Test account of client 0 (client c uses the next ones). */
  firstAccount: number;
}

/** ParaTime clients sending transfers until `stop()`; `history` holds every attempt. */
export class RuntimeLoad {
  readonly history: RuntimeAttempt[] = [];
  #stopped = false;
  readonly #done: Promise<void>[];

  constructor(o: RuntimeLoadOptions) {
    this.#done = Array.from({ length: o.clients }, (_, c) => this.#client(o, c));
  }

  /** Acknowledged attempts so far. */
  get acknowledged(): number {
    return this.history.filter((a) => a.outcome.kind === 'ack').length;
  }

  async #client(o: RuntimeLoadOptions, index: number): Promise<void> {
    const via = o.nodes.map((n) => new ParaTimeClient(o.net, n, o.firstAccount + index));
    let target = index % via.length;
    let nonce: bigint | undefined;
    while (!this.#stopped) {
      const rt = via[target]!;
      let tx: Uint8Array;
      try {
        nonce ??= await within(rt.nonce(), 'nonce', READ_DEADLINE_MS);
        tx = await within(rt.signedTransfer(1n, nonce), 'sign', READ_DEADLINE_MS);
      } catch {
        target = (target + 1) % via.length;
        await sleep(500);
        continue;
      }
      const txNonce = nonce;
      const hash = toHex(oasis.hash.hash(tx));
      let settled = false;
      for (let attempt = 0; attempt < RESUBMITS && !settled && !this.#stopped; attempt++) {
        const outcome = await submit(via[target]!, tx);
        this.history.push({ client: index, node: o.nodes[target]!.name, hash, nonce: txNonce, outcome });
        if (outcome.kind === 'ack') {
          nonce = txNonce + 1n;
          settled = true;
        } else if (outcome.kind === 'refused') {
          nonce = undefined;
          settled = true;
          await sleep(250);
        } else target = (target + 1) % via.length;
      }
      if (!settled) nonce = undefined;
    }
  }

  /** Stops sending and waits for every client's last call (each has a deadline). */
  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all(this.#done);
  }
}

async function submit(rt: ParaTimeClient, tx: Uint8Array): Promise<RuntimeOutcome> {
  try {
    const landed = await within(rt.submit(tx), 'SubmitTxMeta', SUBMIT_DEADLINE_MS);
    return { kind: 'ack', round: landed.round, ok: landed.outcome.fail === undefined };
  } catch (err) {
    const message = (err as Error).message;
    // ParaTimeClient.submit throws `check failed: module code` when the node's CheckTx refused it.
    if (message.startsWith('check failed')) return { kind: 'refused', error: message };
    return { kind: 'unknown', error: message };
  }
}
