import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as oasis from '@oasisprotocol/client';
import * as oasisRT from '@oasisprotocol/client-rt';
import { NodeClient } from '../../../src/api/grpc_client.ts';
import { GrpcServer } from '../../../src/api/grpc_server.ts';
import { GrpcWebServer } from '../../../src/api/grpc_web.ts';
import { ApiRegistry } from '../../../src/api/method.ts';
import { NO_HOSTED_RUNTIMES, runtimeClientMethods } from '../../../src/api/services/runtime_client.ts';
import { bytesEqual, fromHex } from '../../../src/codec/bytes.ts';
import type { CborValue } from '../../../src/codec/cbor.ts';
import { addressFromPublicKey } from '../../../src/crypto/address.ts';
import { EMPTY_HASH } from '../../../src/crypto/hash.ts';
import { CodedError } from '../../../src/errors.ts';
import {
  type AnnotatedBlock,
  ROUND_LATEST,
  type RuntimeClientBackend,
  RuntimeClientErrors,
  type SubmittedTx,
  type TransactionWithResult,
} from '../../../src/runtime/node/client/api.ts';
import { encodeAccountsConfig } from '../../../src/runtime/process/paratimes/accounts/genesis.ts';
import { AccountsRuntime } from '../../../src/runtime/process/paratimes/accounts/runtime.ts';
import { executeBatch } from '../../../src/runtime/process/sdk/batch.ts';
import { eventKey, eventsOfTx } from '../../../src/runtime/protocol/events.ts';
import type { BlockContext } from '../../../src/runtime/protocol/types.ts';
import { MemoryTreeStore } from '../../../src/runtime/state/tree_store.ts';
import {
  type Block,
  blockCodec,
  genesisBlock,
  HeaderType,
  nextBlock,
} from '../../../src/services/roothash/api/block.ts';

(globalThis as Record<string, unknown>).XMLHttpRequest ??= createRequire(import.meta.url)('xhr2');

const RUNTIME_ID = fromHex(`80${'00'.repeat(31)}`);
const OTHER_RUNTIME = fromHex(`80${'00'.repeat(30)}07`);
const CHAIN = 'test-chain-context';
const signer1 = oasis.signature.NaclSigner.fromSeed(new Uint8Array(32).fill(1), 'this key is not important');
const signer2 = oasis.signature.NaclSigner.fromSeed(new Uint8Array(32).fill(2), 'this key is not important');
const addr1 = addressFromPublicKey(signer1.public());
const addr2 = addressFromPublicKey(signer2.public());
const NATIVE = oasisRT.token.NATIVE_DENOMINATION;
const q = oasis.quantity.fromBigInt;
const accounts = new oasisRT.accounts.Wrapper(RUNTIME_ID);

type Coded = { oasisModule?: string; oasisCode?: number; message?: string };
const coded = (module: string, code: number) => (e: Coded) =>
  e.oasisModule === module && e.oasisCode === code;

/**
 * A ParaTime node as the API sees it, holding real data: the accounts runtime executes every submitted
 * transaction in its own round (checked first, as a node's pool would), blocks chain with nextBlock, and
 * queries read the state of the requested round. It records what reached it, byte for byte.
 */
class AccountsParaTime implements RuntimeClientBackend {
  readonly app = new AccountsRuntime();
  readonly store = new MemoryTreeStore();
  readonly blocks: Block[];
  readonly txs = new Map<bigint, TransactionWithResult[]>();
  readonly received: Uint8Array[] = [];
  /** What the pool holds (set by the tests). */
  pending: Uint8Array[] = [];
  readonly queries: Array<{ round: bigint; method: string; args: CborValue }> = [];
  readonly listeners = new Set<(b: AnnotatedBlock) => void>();

  constructor() {
    const genesis = this.app.init({
      runtime_id: RUNTIME_ID,
      consensus_backend: 'tendermint',
      consensus_protocol_version: { major: 7 },
      consensus_chain_context: CHAIN,
      local_config: encodeAccountsConfig({ balances: [[addr1, 1_000_000n]] }),
    });
    this.blocks = [genesisBlock(RUNTIME_ID, 0n, this.store.apply(EMPTY_HASH, genesis), 1000)];
  }

  hosts(id: Uint8Array): boolean {
    return bytesEqual(id, RUNTIME_ID);
  }

  #latest(): Block {
    return this.blocks[this.blocks.length - 1]!;
  }

  #context(b: Block): BlockContext {
    return { round: b.header.round, state_root: b.header.state_root, consensus_height: 10n, epoch: 1n };
  }

  async checkTx(_id: Uint8Array, tx: Uint8Array): Promise<void> {
    const latest = this.#latest();
    const { error } = this.app.checkTx(
      this.store.reader(latest.header.state_root),
      tx,
      this.#context(latest),
    );
    if (error.code) throw RuntimeClientErrors.checkTxFailed(error);
  }

  async submitTx(id: Uint8Array, tx: Uint8Array): Promise<SubmittedTx> {
    this.received.push(tx);
    await this.checkTx(id, tx);
    const latest = this.#latest();
    const round = latest.header.round + 1n;
    const out = executeBatch(this.app, this.store, {
      ...this.#context(latest),
      round,
      timestamp: 0n,
      max_messages: 16,
      inputs: [tx],
      in_msgs: [],
    });
    const block = nextBlock(latest, 1000 + Number(round), HeaderType.normal, out.header);
    this.blocks.push(block);
    this.txs.set(round, [
      { tx, result: out.results[0]!, events: eventsOfTx(out.io_write_log, out.tx_hashes[0]!) },
    ]);
    for (const l of this.listeners) l({ consensusHeight: 100n + round, block });
    return { result: out.results[0]!, round, batchOrder: 0 };
  }

  async submitTxNoWait(id: Uint8Array, tx: Uint8Array): Promise<void> {
    await this.submitTx(id, tx);
  }

  genesisBlock(): Block {
    return this.blocks[0]!;
  }

  block(_id: Uint8Array, round: bigint): Block {
    if (round === ROUND_LATEST) return this.#latest();
    const b = this.blocks.find((x) => x.header.round === round);
    if (!b) throw RuntimeClientErrors.notFound(`block ${round}`);
    return b;
  }

  lastRetainedBlock(): Block {
    return this.blocks[0]!;
  }

  transactions(id: Uint8Array, round: bigint): TransactionWithResult[] {
    return this.txs.get(this.block(id, round).header.round) ?? [];
  }

  unconfirmedTransactions(): Uint8Array[] {
    return this.pending;
  }

  pendingNonce(_id: Uint8Array, _sender: Uint8Array, stateNonce: bigint): bigint {
    return stateNonce;
  }

  async query(id: Uint8Array, round: bigint, method: string, args: CborValue): Promise<CborValue> {
    this.queries.push({ round, method, args });
    const b = this.block(id, round);
    return this.app.query(this.store.reader(b.header.state_root), method, args);
  }

  watchBlocks(_id: Uint8Array, onBlock: (b: AnnotatedBlock) => void): () => void {
    this.listeners.add(onBlock);
    return () => this.listeners.delete(onBlock);
  }
}

/** An accounts.Transfer of `amount` to addr2 signed by signer1 with client-rt, as its raw CBOR. */
async function transferTx(nonce: bigint, amount: bigint) {
  const tw = accounts.callTransfer();
  tw.setBody({ to: addr2, amount: [q(amount), NATIVE] });
  tw.setSignerInfo([{ address_spec: { signature: { ed25519: signer1.public() } }, nonce }]);
  tw.setFeeAmount([q(10n), NATIVE]);
  tw.setFeeGas(10_000n);
  await tw.sign([new oasis.signature.BlindContextSigner(signer1)], CHAIN);
  return { tw, raw: oasis.misc.toCBOR(tw.unverifiedTransaction) };
}

const METHODS = [
  'CheckTx',
  'GetBlock',
  'GetEvents',
  'GetGenesisBlock',
  'GetLastRetainedBlock',
  'GetTransactions',
  'GetTransactionsWithResults',
  'GetUnconfirmedTransactions',
  'Query',
  'SubmitTx',
  'SubmitTxMeta',
  'SubmitTxNoWait',
  'WatchBlocks',
];

describe('oasis-core.RuntimeClient', () => {
  const paratime = new AccountsParaTime();
  const registry = new ApiRegistry();
  registry.register(...runtimeClientMethods(paratime));
  const web = new GrpcWebServer(registry);
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-rtclient-'));
  const socket = join(dir, 'internal.sock');
  const grpcServer = new GrpcServer(registry, socket);
  let nic: oasis.client.NodeInternal;
  let client: NodeClient;

  before(async () => {
    nic = new oasis.client.NodeInternal(await web.listen(0));
    await grpcServer.start();
    client = new NodeClient(`unix:${socket}`);
  });
  after(async () => {
    client.close();
    await web.close();
    await grpcServer.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers every method as public, WatchBlocks as a stream', () => {
    const all = registry.all();
    assert.deepEqual(all.map((m) => m.name).sort(), METHODS);
    assert.ok(all.every((m) => m.public && m.service === 'oasis-core.RuntimeClient'));
    assert.deepEqual(
      all.filter((m) => m.kind === 'stream').map((m) => m.name),
      ['WatchBlocks'],
    );
  });

  it('serves the genesis, latest and last retained blocks to the official client', async () => {
    const genesis = await nic.runtimeClientGetGenesisBlock(RUNTIME_ID);
    const want = paratime.blocks[0]!.header;
    assert.equal(BigInt(genesis.header.round), 0n);
    assert.deepEqual(genesis.header.namespace, RUNTIME_ID);
    assert.deepEqual(genesis.header.state_root, want.state_root);
    assert.equal(genesis.header.header_type, HeaderType.normal);
    const latest = await nic.runtimeClientGetBlock({
      runtime_id: RUNTIME_ID,
      round: oasis.runtime.CLIENT_ROUND_LATEST,
    });
    assert.deepEqual(latest, genesis);
    assert.deepEqual(await nic.runtimeClientGetLastRetainedBlock(RUNTIME_ID), genesis);
    // A round without transactions: an empty list, and (as oasis-core's nil list) null with results.
    assert.deepEqual(await nic.runtimeClientGetTransactions({ runtime_id: RUNTIME_ID, round: 0 }), []);
    assert.equal(
      await nic.runtimeClientGetTransactionsWithResults({ runtime_id: RUNTIME_ID, round: 0 }),
      null,
    );
  });

  it('delivers a client-rt accounts.Transfer byte-identical and returns its CallResult', async () => {
    const { tw, raw } = await transferTx(0n, 1234n);
    await tw.submit(nic); // client-rt's own path: runtimeClientSubmitTx, CallResult decoded, `fail` thrown.
    assert.equal(paratime.received.length, 1);
    assert.deepEqual(paratime.received[0], raw);
    const block1 = await nic.runtimeClientGetBlock({ runtime_id: RUNTIME_ID, round: 1 });
    assert.equal(BigInt(block1.header.round), 1n);
    assert.deepEqual(block1.header.state_root, paratime.blocks[1]!.header.state_root);
    assert.deepEqual(block1.header.io_root, paratime.blocks[1]!.header.io_root);
    assert.notDeepEqual(block1.header.io_root, EMPTY_HASH);
    assert.deepEqual(await nic.runtimeClientGetTransactions({ runtime_id: RUNTIME_ID, round: 1 }), [raw]);
    const [withResult] = await nic.runtimeClientGetTransactionsWithResults({
      runtime_id: RUNTIME_ID,
      round: 1,
    });
    assert.deepEqual(withResult!.tx, raw);
    const result = oasis.misc.fromCBOR(withResult!.result) as oasisRT.types.CallResult;
    assert.ok('ok' in result && !result.fail, 'the transfer succeeded');
    // Its events: the accounts Transfer event (key `accounts` || u32 1), also listed by GetEvents.
    const transferKey = eventKey('accounts', 1);
    assert.deepEqual(
      withResult!.events!.map((e) => e.key),
      [transferKey],
    );
    const events = await nic.runtimeClientGetEvents({ runtime_id: RUNTIME_ID, round: 1 });
    assert.deepEqual(
      events.map((e) => [e.key, e.tx_hash]),
      [[transferKey, oasis.hash.hash(raw)]],
    );
    assert.deepEqual(events[0]!.value, withResult!.events![0]!.value);

    // What waits in the pool.
    paratime.pending = [raw];
    assert.deepEqual(await nic.runtimeClientGetUnconfirmedTransactions(RUNTIME_ID), [raw]);
    paratime.pending = [];

    // The raw SubmitTx answer is the CBOR CallResult bytes.
    const second = await transferTx(1n, 1n);
    const answer = await nic.runtimeClientSubmitTx({ runtime_id: RUNTIME_ID, data: second.raw });
    assert.ok(answer instanceof Uint8Array);
    assert.deepEqual(answer, paratime.txs.get(2n)![0]!.result);
  });

  it('runs client-rt queries with the decoded arguments at the requested round', async () => {
    const balances = (await accounts.queryBalances().setArgs({ address: addr2 }).query(nic)) as {
      balances: Map<Uint8Array, Uint8Array>;
    };
    const native = [...balances.balances].find(([d]) => d.length === 0)!;
    assert.equal(oasis.quantity.toBigInt(native[1]), 1235n);
    assert.deepEqual(paratime.queries.at(-1), {
      round: ROUND_LATEST,
      method: 'accounts.Balances',
      args: Object.assign(Object.create(null), { address: addr2 }),
    });
    // At round 0 the recipient had nothing.
    const atGenesis = (await accounts
      .queryBalances()
      .setArgs({ address: addr2 })
      .setRound(0n)
      .query(nic)) as { balances: Map<Uint8Array, Uint8Array> };
    assert.equal(atGenesis.balances.size, 0);
    assert.equal(paratime.queries.at(-1)!.round, 0n);
    // The raw response is {data: bstr(CBOR)}.
    const raw = await nic.runtimeClientQuery({
      runtime_id: RUNTIME_ID,
      round: 1,
      method: 'accounts.Nonce',
      args: oasis.misc.toCBOR({ address: addr1 }),
    });
    assert.equal(Number(oasis.misc.fromCBOR(raw.data)), 1);
  });

  it('SubmitTxMeta reports inclusion, and a failed check as check_tx_error rather than an error', async () => {
    const fresh = await transferTx(2n, 5n);
    const meta = await nic.runtimeClientSubmitTxMeta({ runtime_id: RUNTIME_ID, data: fresh.raw });
    assert.equal(BigInt(meta.round!), 3n);
    assert.equal(meta.batch_order, undefined, 'omitempty: batch order 0');
    assert.deepEqual(meta.data, paratime.txs.get(3n)![0]!.result);
    assert.equal(meta.check_tx_error, undefined);

    const blocks = paratime.blocks.length;
    const replayed = await nic.runtimeClientSubmitTxMeta({ runtime_id: RUNTIME_ID, data: fresh.raw });
    assert.deepEqual(Object.keys(replayed), ['check_tx_error']);
    assert.equal(replayed.check_tx_error!.module, 'core');
    assert.equal(replayed.check_tx_error!.code, 4, 'core invalid nonce');
    assert.ok(replayed.check_tx_error!.message);
    assert.equal(paratime.blocks.length, blocks, 'nothing executed');

    // The same refusal is runtime/client 5 from SubmitTx, SubmitTxNoWait and CheckTx, with oasis-core's message.
    for (const call of [
      () => nic.runtimeClientSubmitTx({ runtime_id: RUNTIME_ID, data: fresh.raw }),
      () => nic.runtimeClientSubmitTxNoWait({ runtime_id: RUNTIME_ID, data: fresh.raw }),
      () => nic.runtimeClientCheckTx({ runtime_id: RUNTIME_ID, data: fresh.raw }),
    ]) {
      await assert.rejects(call(), (e: Coded) => {
        assert.ok(coded('runtime/client', 5)(e));
        assert.match(
          e.message ?? '',
          /client: transaction check failed: runtime error: module: core code: 4/,
        );
        return true;
      });
    }
    assert.equal(paratime.blocks.length, blocks);
    // An acceptable transaction passes CheckTx without being executed.
    await nic.runtimeClientCheckTx({ runtime_id: RUNTIME_ID, data: (await transferTx(3n, 1n)).raw });
    assert.equal(paratime.blocks.length, blocks);
  });

  it('refuses runtimes it does not host with runtime/client 6, before reaching the backend', async () => {
    const received = paratime.received.length;
    const queries = paratime.queries.length;
    const { raw } = await transferTx(3n, 1n);
    const calls: Array<() => Promise<unknown>> = [
      () => nic.runtimeClientGetGenesisBlock(OTHER_RUNTIME),
      () => nic.runtimeClientGetBlock({ runtime_id: OTHER_RUNTIME, round: 0 }),
      () => nic.runtimeClientGetLastRetainedBlock(OTHER_RUNTIME),
      () => nic.runtimeClientGetTransactions({ runtime_id: OTHER_RUNTIME, round: 0 }),
      () => nic.runtimeClientGetTransactionsWithResults({ runtime_id: OTHER_RUNTIME, round: 0 }),
      () => nic.runtimeClientSubmitTx({ runtime_id: OTHER_RUNTIME, data: raw }),
      () => nic.runtimeClientSubmitTxMeta({ runtime_id: OTHER_RUNTIME, data: raw }),
      () => nic.runtimeClientSubmitTxNoWait({ runtime_id: OTHER_RUNTIME, data: raw }),
      () => nic.runtimeClientCheckTx({ runtime_id: OTHER_RUNTIME, data: raw }),
      () => new oasisRT.accounts.Wrapper(OTHER_RUNTIME).queryNonce().setArgs({ address: addr1 }).query(nic),
    ];
    for (const call of calls) await assert.rejects(call(), coded('runtime/client', 6));
    assert.equal(paratime.received.length, received);
    assert.equal(paratime.queries.length, queries);
  });

  it('refuses malformed requests and arguments without touching the backend', async () => {
    const received = paratime.received.length;
    const queries = paratime.queries.length;
    const { raw } = await transferTx(3n, 1n);
    const invalid = /INVALID_ARGUMENT|RpcError\(3\)/;
    await assert.rejects(nic.runtimeClientGetGenesisBlock(RUNTIME_ID.subarray(1)), invalid);
    await assert.rejects(nic.runtimeClientGetBlock({ runtime_id: RUNTIME_ID } as never), invalid);
    await assert.rejects(nic.runtimeClientGetBlock({ runtime_id: RUNTIME_ID, round: -1 }), invalid);
    await assert.rejects(
      nic.runtimeClientSubmitTx({ runtime_id: RUNTIME_ID, data: raw, extra: 1 } as never),
      invalid,
    );
    await assert.rejects(nic.runtimeClientSubmitTx({ runtime_id: RUNTIME_ID, data: 'tx' } as never), invalid);
    // Inline CBOR args (not a byte string) are not oasis-core's shape.
    await assert.rejects(
      nic.runtimeClientQuery({
        runtime_id: RUNTIME_ID,
        round: 0,
        method: 'accounts.Nonce',
        args: { address: addr1 },
      } as never),
      invalid,
    );
    // Arguments that are not CBOR: the runtime-sdk answer (core invalid argument).
    await assert.rejects(
      nic.runtimeClientQuery({
        runtime_id: RUNTIME_ID,
        round: 0,
        method: 'accounts.Nonce',
        args: Uint8Array.of(0xff),
      }),
      coded('core', 10),
    );
    // Only the on-chain component is hosted.
    await assert.rejects(
      nic.runtimeClientQuery({
        runtime_id: RUNTIME_ID,
        component: { kind: 'rofl', name: 'x' },
        round: 0,
        method: 'accounts.Nonce',
        args: oasis.misc.toCBOR({ address: addr1 }),
      }),
      coded('runtime/client', 1),
    );
    assert.equal(paratime.received.length, received);
    assert.equal(paratime.queries.length, queries);
    // An explicit RONL component is the default one.
    const nonce = await nic.runtimeClientQuery({
      runtime_id: RUNTIME_ID,
      component: { kind: 'ronl' },
      round: 0,
      method: 'accounts.Nonce',
      args: oasis.misc.toCBOR({ address: addr1 }),
    });
    assert.equal(Number(oasis.misc.fromCBOR(nonce.data)), 0);
    // A round the node does not have: the backend's runtime/client not-found.
    await assert.rejects(
      nic.runtimeClientGetBlock({ runtime_id: RUNTIME_ID, round: 99 }),
      coded('runtime/client', 1),
    );
  });

  it('streams blocks over native gRPC as the backend emits them, and unsubscribes when the caller leaves', async () => {
    const genesis = await client.call('oasis-core.RuntimeClient', 'GetGenesisBlock', RUNTIME_ID);
    assert.deepEqual(blockCodec.decode(genesis!, 'block'), paratime.blocks[0]);
    const stream = client.stream<{
      consensus_height: bigint | number;
      block: { header: Record<string, unknown> };
    }>('oasis-core.RuntimeClient', 'WatchBlocks', RUNTIME_ID);
    const iterator = stream[Symbol.asyncIterator]();
    try {
      const first = iterator.next();
      while (paratime.listeners.size === 0) await new Promise((r) => setTimeout(r, 5));
      const rounds: bigint[] = [];
      for (const nonce of [3n, 4n]) {
        const { raw } = await transferTx(nonce, 1n);
        await client.call('oasis-core.RuntimeClient', 'SubmitTxNoWait', {
          runtime_id: RUNTIME_ID,
          data: raw,
        });
      }
      for (const next of [first, iterator.next()]) {
        const { value } = await next;
        assert.ok(value);
        const block = blockCodec.decode(value.block as never, 'block');
        rounds.push(block.header.round);
        assert.equal(BigInt(value.consensus_height), 100n + block.header.round);
        assert.deepEqual(block, paratime.block(RUNTIME_ID, block.header.round));
      }
      assert.deepEqual(rounds, [4n, 5n]);
    } finally {
      await iterator.return?.();
    }
    const deadline = Date.now() + 2000;
    while (paratime.listeners.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    assert.equal(paratime.listeners.size, 0, 'the subscription ends with the call');
  });
});

describe('oasis-core.RuntimeClient on a node hosting no ParaTime', () => {
  const registry = new ApiRegistry();
  registry.register(...runtimeClientMethods(NO_HOSTED_RUNTIMES));
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-rtclient-'));
  const socket = join(dir, 'internal.sock');
  const grpcServer = new GrpcServer(registry, socket);
  const web = new GrpcWebServer(registry);
  let client: NodeClient;
  let nic: oasis.client.NodeInternal;

  before(async () => {
    await grpcServer.start();
    client = new NodeClient(`unix:${socket}`);
    nic = new oasis.client.NodeInternal(await web.listen(0));
  });
  after(async () => {
    client.close();
    await web.close();
    await grpcServer.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers every method with runtime/client 6, not unimplemented', async () => {
    const tx = { runtime_id: RUNTIME_ID, data: Uint8Array.of(1) };
    const round = { runtime_id: RUNTIME_ID, round: 0 };
    const requests: Record<string, unknown> = {
      SubmitTx: tx,
      SubmitTxMeta: tx,
      SubmitTxNoWait: tx,
      CheckTx: tx,
      GetGenesisBlock: RUNTIME_ID,
      GetBlock: round,
      GetLastRetainedBlock: RUNTIME_ID,
      GetTransactions: round,
      GetTransactionsWithResults: round,
      GetEvents: round,
      GetUnconfirmedTransactions: RUNTIME_ID,
      Query: { ...round, method: 'accounts.Nonce', args: Uint8Array.of(0xf6) },
    };
    assert.deepEqual(
      Object.keys(requests).sort(),
      METHODS.filter((m) => m !== 'WatchBlocks'),
    );
    for (const [name, request] of Object.entries(requests)) {
      await assert.rejects(client.call('oasis-core.RuntimeClient', name, request), (e) =>
        CodedError.is(e, 'runtime/client', 6),
      );
    }
    // The stream ends at once with the same error (over gRPC-web: see the report on native stream errors).
    const status = await new Promise<{ code: number; message: string }>((resolve) => {
      const stream = nic.runtimeClientWatchBlocks(RUNTIME_ID);
      stream.on('data', () => resolve({ code: -1, message: 'unexpected block' }));
      stream.on('error', (e) => resolve(e));
      stream.on('end', () => resolve({ code: 0, message: 'ended without error' }));
    });
    assert.equal(status.code, 2);
    assert.match(status.message, /client: no hosted runtime is available/);
  });
});
