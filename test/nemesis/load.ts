/**
 * Steady load for the nemesis: each client owns one funded test account and sends staking.Transfer of one
 * base unit to the next account, one transaction at a time, with `SubmitTx` (which answers once the
 * transaction is in a block) over gRPC (a node's internal socket) or gRPC-web (its HTTP endpoint, over the
 * namespace links). Every attempt and what the node said is recorded for the history checker.
 */

import { decodeStatusDetails } from '../../src/api/errors.ts';
import { NodeClient } from '../../src/api/grpc_client.ts';
import { fromHex, toHex } from '../../src/codec/bytes.ts';
import { decodeCanonical, encodeCanonical } from '../../src/codec/cbor.ts';
import { quantityToBytes } from '../../src/codec/quantity.ts';
import {
  encodeSignedTransaction,
  signTransaction,
  transactionHash,
} from '../../src/consensus/api/transaction.ts';
import { addressFromBech32 } from '../../src/crypto/address.ts';
import { Ed25519KeyPair } from '../../src/crypto/ed25519.ts';
import { CodedError } from '../../src/errors.ts';
import type { LocalnetManifest, LocalnetNode } from '../../src/localnet/manifest.ts';

/** What one submission attempt was told. */
export type Outcome =
  /** `SubmitTx` answered: the transaction is in a block and succeeded. */
  | { kind: 'ack' }
  /** The node answered with a coded error: refused (or, after an unknown attempt, already used). */
  | { kind: 'refused'; error: string }
  /** No answer (deadline, node down, link cut): the transaction may or may not be applied. */
  | { kind: 'unknown'; error: string };

/** One attempt of one transaction. */
export interface Attempt {
  client: number;
  node: string;
  transport: 'grpc' | 'grpc-web';
  hash: string;
  nonce: bigint;
  /** Sender and receiver (bech32), and the amount, for the balance check. */
  from: string;
  to: string;
  amount: bigint;
  outcome: Outcome;
}

/** Per-call deadline of a `SubmitTx`: long enough for a block, short against a cut link. */
const SUBMIT_DEADLINE_MS = 8_000;
/** Attempts with the same bytes after an unknown answer, before the nonce is read again. */
const RESUBMITS = 3;

type Submit = (signedCbor: unknown) => Promise<Outcome>;

function outcomeOf(err: unknown): Outcome {
  if (err instanceof CodedError)
    return { kind: 'refused', error: `${err.module}/${err.code}: ${err.message}` };
  return { kind: 'unknown', error: (err as Error).message };
}

/** `SubmitTx` over gRPC to a node's internal socket. */
function grpcSubmit(client: NodeClient): Submit {
  return (signed) =>
    client
      .call('oasis-core.Consensus', 'SubmitTx', signed, SUBMIT_DEADLINE_MS)
      .then((): Outcome => ({ kind: 'ack' }), outcomeOf);
}

/** `SubmitTx` over gRPC-web (binary mode) to `baseUrl`. */
function grpcWebSubmit(baseUrl: string): Submit {
  return async (signed) => {
    const payload = encodeCanonical(signed);
    const body = Buffer.alloc(5 + payload.length);
    body.writeUInt32BE(payload.length, 1);
    body.set(payload, 5);
    try {
      const res = await fetch(`${baseUrl}/oasis-core.Consensus/SubmitTx`, {
        method: 'POST',
        headers: { 'content-type': 'application/grpc-web+proto', 'x-grpc-web': '1' },
        body,
        signal: AbortSignal.timeout(SUBMIT_DEADLINE_MS),
      });
      const reply = Buffer.from(await res.arrayBuffer());
      for (let pos = 0; pos + 5 <= reply.length; ) {
        const len = reply.readUInt32BE(pos + 1);
        if (reply[pos] === 0x80) {
          const trailers = new Map(
            reply
              .subarray(pos + 5, pos + 5 + len)
              .toString('latin1')
              .split('\r\n')
              .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)] as const),
          );
          if (trailers.get('grpc-status') === '0') return { kind: 'ack' };
          const details = trailers.get('grpc-status-details-bin');
          const coded = details ? decodeStatusDetails(Buffer.from(details, 'base64')) : undefined;
          const message = decodeURIComponent(trailers.get('grpc-message') ?? '');
          return coded
            ? { kind: 'refused', error: `${coded.module}/${coded.code}: ${message}` }
            : { kind: 'unknown', error: `grpc-status ${trailers.get('grpc-status')}: ${message}` };
        }
        pos += 5 + len;
      }
      return { kind: 'unknown', error: `no trailers (HTTP ${res.status})` };
    } catch (err) {
      return { kind: 'unknown', error: (err as Error).message };
    }
  };
}

/** Options of the load. */
export interface LoadOptions {
  net: LocalnetManifest;
  /** Nodes clients send to (rotating after each unknown answer). */
  nodes: LocalnetNode[];
  clients: number;
  /** Clients with an odd index use gRPC-web when true. */
  grpcWeb: boolean;
}

/** Clients sending transfers until `stop()`; `history` holds every attempt. */
export class Load {
  readonly history: Attempt[] = [];
  #stopped = false;
  readonly #done: Promise<void>[];
  readonly #grpc: NodeClient[];

  constructor(o: LoadOptions) {
    this.#grpc = o.nodes.map((n) => new NodeClient(`unix:${n.internal_socket}`));
    const submitters = o.nodes.map((n, i) => ({
      node: n.name,
      grpc: grpcSubmit(this.#grpc[i]!),
      web: grpcWebSubmit(n.grpc_web),
    }));
    this.#done = Array.from({ length: o.clients }, (_, c) =>
      this.#client(o.net, c, (c + 1) % o.clients, submitters, o.grpcWeb && c % 2 === 1),
    );
  }

  async #nonce(client: NodeClient, address: string): Promise<bigint | undefined> {
    try {
      const n = await client.call<number | bigint>(
        'oasis-core.Consensus',
        'GetSignerNonce',
        { account_address: addressFromBech32(address), height: 0 },
        3_000,
      );
      return BigInt(n);
    } catch {
      return undefined;
    }
  }

  async #client(
    net: LocalnetManifest,
    index: number,
    toIndex: number,
    submitters: { node: string; grpc: Submit; web: Submit }[],
    web: boolean,
  ): Promise<void> {
    const account = net.accounts[index]!;
    const to = net.accounts[toIndex]!.address;
    const key = Ed25519KeyPair.fromSeed(fromHex(account.seed_hex));
    let target = index % submitters.length;
    let nonce: bigint | undefined;
    while (!this.#stopped) {
      nonce ??= await this.#nonce(this.#grpc[target]!, account.address);
      if (nonce === undefined) {
        target = (target + 1) % submitters.length;
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      const txNonce = nonce;
      const raw = encodeSignedTransaction(
        signTransaction(
          key,
          {
            nonce: txNonce,
            fee: { amount: 0n, gas: 2000n },
            method: 'staking.Transfer',
            body: { to: addressFromBech32(to), amount: quantityToBytes(1n) },
          },
          net.chain_context,
        ),
      );
      const hash = toHex(transactionHash(raw));
      const signed = decodeCanonical(raw);
      let settled = false;
      for (let attempt = 0; attempt < RESUBMITS && !settled; attempt++) {
        const s = submitters[target]!;
        const outcome = await (web ? s.web : s.grpc)(signed);
        this.history.push({
          client: index,
          node: s.node,
          transport: web ? 'grpc-web' : 'grpc',
          hash,
          nonce: txNonce,
          from: account.address,
          to,
          amount: 1n,
          outcome,
        });
        if (outcome.kind === 'ack') {
          nonce = txNonce + 1n;
          settled = true;
        } else if (outcome.kind === 'refused') {
          nonce = undefined;
          settled = true;
        } else {
          target = (target + 1) % submitters.length;
          if (this.#stopped) break;
        }
      }
      if (!settled) nonce = undefined;
    }
  }

  /** Stops sending and waits for every client's last call to end (each has a deadline). */
  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all(this.#done);
    for (const c of this.#grpc) c.close();
  }
}
