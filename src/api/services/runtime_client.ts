/**
 * `oasis-core.RuntimeClient`: how clients (`@oasisprotocol/client`, `@oasisprotocol/client-rt`) reach the
 * ParaTimes a node hosts: submit and check runtime transactions, read runtime blocks and transactions, run
 * queries, follow new blocks. Wire shapes are oasis-core's `go/runtime/client/api`: transactions, results and
 * query arguments/answers travel as byte strings holding CBOR; blocks are roothash blocks.
 */

import { type CborValue, decodeCanonical, encodeCanonical } from '../../codec/cbor.ts';
import { bytes, type Decoder, optional, struct, text, u64 } from '../../codec/schema.ts';
import { sha512_256 } from '../../crypto/hash.ts';
import {
  type AnnotatedBlock,
  CheckTxFailedError,
  type RuntimeClientBackend,
  RuntimeClientErrors,
  type SubmittedTx,
} from '../../runtime/node/client/api.ts';
import { CoreErrorCode, coreError } from '../../runtime/protocol/core_errors.ts';
import type { ProtocolError } from '../../runtime/protocol/types.ts';
import { blockCodec } from '../../services/roothash/api/block.ts';
import { type ApiMethod, type StreamMethod, type UnaryMethod, unaryMethod } from '../method.ts';
import { decodeRequestWith } from '../queries.ts';
import { subscriptionStream } from '../subscription_stream.ts';

const SERVICE = 'oasis-core.RuntimeClient';
/** A bare runtime id (`common.Namespace`), the request of GetGenesisBlock, GetLastRetainedBlock, WatchBlocks. */
const runtimeId = bytes(32);
/** `{runtime_id, data}` (SubmitTx*, CheckTx): `data` is the raw runtime transaction. */
const txRequest = struct({ runtime_id: runtimeId, data: bytes() });
/** `{runtime_id, round}` (GetBlock, GetTransactions*); `round` may be `ROUND_LATEST`. */
const roundRequest = struct({ runtime_id: runtimeId, round: u64 });
/** `component.ID {kind, name?}`; absent means the on-chain logic (`ronl`), the only component we host. */
const componentId = struct({ kind: text, name: optional(text) });
/** `{runtime_id, component?, round, method, args}`: `args` is a byte string holding the CBOR arguments. */
const queryRequest = struct({
  runtime_id: runtimeId,
  component: optional(componentId),
  round: u64,
  method: text,
  args: bytes(),
});

/** Go omitempty over a runtime error (`protocol.Error`). */
function wireProtocolError(e: ProtocolError): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (e.module) out.module = e.module;
  if (e.code) out.code = e.code;
  if (e.message) out.message = e.message;
  return out;
}

/** `SubmitTxMetaResponse` of an included transaction (every field omitempty, as in Go). */
function submitTxMeta(s: SubmittedTx): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (s.result.length > 0) out.data = s.result;
  if (s.round !== 0n) out.round = s.round;
  if (s.batchOrder !== 0) out.batch_order = s.batchOrder;
  return out;
}

/**
 * Query arguments as the runtime sees them. A runtime-sdk runtime answers undecodable arguments with its
 * `core` invalid-argument error, so that is what the client gets.
 */
function decodeQueryArgs(args: Uint8Array): CborValue {
  try {
    return decodeCanonical(args);
  } catch (err) {
    throw coreError(CoreErrorCode.invalidArgument, `malformed query arguments: ${(err as Error).message}`);
  }
}

/** Refuses components other than the on-chain logic (oasis-core: "component not found"). */
function requireRonl(component: { kind: string; name?: string } | undefined): void {
  if (component === undefined || (component.kind === 'ronl' && !component.name)) return;
  const name = component.name ? `${component.kind} (${component.name})` : component.kind;
  throw RuntimeClientErrors.notFound(`component '${name}'`);
}

/** The wire form of an annotated block (`{consensus_height, block}`). */
function wireAnnotatedBlock(b: AnnotatedBlock): Record<string, unknown> {
  return { consensus_height: b.consensusHeight, block: blockCodec.encode(b.block) };
}

/** The RuntimeClient methods over `backend` (all public: clients use them over gRPC-web). */
export function runtimeClientMethods(backend: RuntimeClientBackend): ApiMethod[] {
  const unary = (name: string, handler: UnaryMethod['handler']) => unaryMethod(SERVICE, name, handler);
  const hostedId = (id: Uint8Array): Uint8Array => {
    if (!backend.hosts(id)) throw RuntimeClientErrors.noHostedRuntime();
    return id;
  };
  /** Decodes strictly, then refuses runtimes this node does not host; nothing reaches the backend before. */
  const hosted = <T extends { runtime_id: Uint8Array }>(
    decoder: Decoder<T>,
    request: CborValue | undefined,
  ) => {
    const q = decodeRequestWith(decoder, request);
    hostedId(q.runtime_id);
    return q;
  };
  const bareId = (request: CborValue | undefined) => hostedId(decodeRequestWith(runtimeId, request));

  const watchBlocks: StreamMethod = {
    service: SERVICE,
    name: 'WatchBlocks',
    kind: 'stream',
    public: true,
    handler: async function* (request, ctx) {
      const id = bareId(request);
      for await (const b of subscriptionStream<AnnotatedBlock>(
        (push) => backend.watchBlocks(id, push),
        ctx.signal,
      ))
        yield wireAnnotatedBlock(b);
    },
  };

  return [
    unary('SubmitTx', async (r) => {
      const q = hosted(txRequest, r);
      return (await backend.submitTx(q.runtime_id, q.data)).result;
    }),
    // A refused check is a successful reply carrying the runtime's error, as oasis-core answers it.
    unary('SubmitTxMeta', async (r) => {
      const q = hosted(txRequest, r);
      try {
        return submitTxMeta(await backend.submitTx(q.runtime_id, q.data));
      } catch (err) {
        if (err instanceof CheckTxFailedError) return { check_tx_error: wireProtocolError(err.checkTxError) };
        throw err;
      }
    }),
    unary('SubmitTxNoWait', async (r) => {
      const q = hosted(txRequest, r);
      await backend.submitTxNoWait(q.runtime_id, q.data);
      return null;
    }),
    unary('CheckTx', async (r) => {
      const q = hosted(txRequest, r);
      await backend.checkTx(q.runtime_id, q.data);
      return null;
    }),
    unary('GetGenesisBlock', async (r) => blockCodec.encode(backend.genesisBlock(bareId(r)))),
    unary('GetBlock', async (r) => {
      const q = hosted(roundRequest, r);
      return blockCodec.encode(backend.block(q.runtime_id, q.round));
    }),
    unary('GetLastRetainedBlock', async (r) => blockCodec.encode(backend.lastRetainedBlock(bareId(r)))),
    unary('GetTransactions', async (r) => {
      const q = hosted(roundRequest, r);
      return backend.transactions(q.runtime_id, q.round).map((t) => t.tx);
    }),
    // oasis-core builds this list from nil, so a round without transactions answers CBOR null.
    unary('GetTransactionsWithResults', async (r) => {
      const q = hosted(roundRequest, r);
      const txs = backend.transactions(q.runtime_id, q.round).map((t) => ({
        tx: t.tx,
        result: t.result,
        ...(t.events.length > 0 ? { events: t.events.map((e) => ({ key: e.key, value: e.value })) } : {}),
      }));
      return txs.length > 0 ? txs : null;
    }),
    // Every event of the round with the hash of the transaction that emitted it.
    unary('GetEvents', async (r) => {
      const q = hosted(roundRequest, r);
      return backend
        .transactions(q.runtime_id, q.round)
        .flatMap((t) => t.events.map((e) => ({ key: e.key, value: e.value, tx_hash: sha512_256(t.tx) })));
    }),
    unary('GetUnconfirmedTransactions', async (r) => backend.unconfirmedTransactions(bareId(r))),
    unary('Query', async (r) => {
      const q = hosted(queryRequest, r);
      requireRonl(q.component);
      const args = decodeQueryArgs(q.args);
      return { data: encodeCanonical(await backend.query(q.runtime_id, q.round, q.method, args)) };
    }),
    watchBlocks,
  ];
}

/** The runtime side of a node that hosts no ParaTime (a validator): every runtime is "not hosted here". */
export const NO_HOSTED_RUNTIMES: RuntimeClientBackend = Object.freeze({
  hosts: () => false,
  submitTx: () => Promise.reject(RuntimeClientErrors.noHostedRuntime()),
  submitTxNoWait: () => Promise.reject(RuntimeClientErrors.noHostedRuntime()),
  checkTx: () => Promise.reject(RuntimeClientErrors.noHostedRuntime()),
  query: () => Promise.reject(RuntimeClientErrors.noHostedRuntime()),
  genesisBlock: () => {
    throw RuntimeClientErrors.noHostedRuntime();
  },
  block: () => {
    throw RuntimeClientErrors.noHostedRuntime();
  },
  lastRetainedBlock: () => {
    throw RuntimeClientErrors.noHostedRuntime();
  },
  transactions: () => {
    throw RuntimeClientErrors.noHostedRuntime();
  },
  unconfirmedTransactions: () => {
    throw RuntimeClientErrors.noHostedRuntime();
  },
  pendingNonce: () => {
    throw RuntimeClientErrors.noHostedRuntime();
  },
  watchBlocks: () => {
    throw RuntimeClientErrors.noHostedRuntime();
  },
});
