import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as oasis from '@oasisprotocol/client';
import * as oasisRT from '@oasisprotocol/client-rt';
import { fromHex, toHex } from '../../../../../src/codec/bytes.ts';
import { decodeCanonical, encodeCanonical } from '../../../../../src/codec/cbor.ts';
import { quantityToBytes } from '../../../../../src/codec/quantity.ts';
import { addressFromPublicKey } from '../../../../../src/crypto/address.ts';
import { Ed25519KeyPair } from '../../../../../src/crypto/ed25519.ts';
import { EMPTY_HASH } from '../../../../../src/crypto/hash.ts';
import {
  accountsGenesis,
  encodeAccountsConfig,
} from '../../../../../src/runtime/process/paratimes/accounts/genesis.ts';
import {
  FEE_ACCUMULATOR_ADDRESS,
  Methods,
  PENDING_WITHDRAWAL_ADDRESS,
} from '../../../../../src/runtime/process/paratimes/accounts/params.ts';
import { AccountsRuntime } from '../../../../../src/runtime/process/paratimes/accounts/runtime.ts';
import { executeBatch } from '../../../../../src/runtime/process/sdk/batch.ts';
import { runtimeChainContext } from '../../../../../src/runtime/process/sdk/transaction.ts';
import type {
  IncomingMessage,
  RuntimeExecuteTxBatchRequest,
} from '../../../../../src/runtime/protocol/types.ts';
import { MemoryTreeStore } from '../../../../../src/runtime/state/tree_store.ts';
import { type SdkTxOptions, signSdkTx } from '../sdk_tx.ts';

const RUNTIME_ID = fromHex(`80${'00'.repeat(31)}`);
const CHAIN = 'test-chain-context';
const seed1 = new Uint8Array(32).fill(1);
const seed2 = new Uint8Array(32).fill(2);
const signer1 = oasis.signature.NaclSigner.fromSeed(seed1, 'this key is not important');
const signer2 = oasis.signature.NaclSigner.fromSeed(seed2, 'this key is not important');
const pk1 = signer1.public();
const addr1 = addressFromPublicKey(pk1);
const addr2 = addressFromPublicKey(signer2.public());
const NATIVE = oasisRT.token.NATIVE_DENOMINATION;
const q = oasis.quantity.fromBigInt;

type TxOptions = Omit<SdkTxOptions, 'signer' | 'chain'> & { chain?: string };

/** Signed by the first test key, for the test chain unless `chain` says otherwise. */
const signed = (wrapper: oasisRT.wrapper.TransactionWrapper<unknown, void>, body: unknown, o: TxOptions) =>
  signSdkTx(wrapper, body, { signer: signer1, ...o, chain: o.chain ?? CHAIN });

const accounts = new oasisRT.accounts.Wrapper(RUNTIME_ID);
const consensusAccounts = new oasisRT.consensusAccounts.Wrapper(RUNTIME_ID);
const transferTx = (to: Uint8Array, amount: bigint, o: TxOptions) =>
  signed(accounts.callTransfer() as never, { to, amount: [q(amount), NATIVE] }, o);
const withdrawTx = (amount: bigint, o: TxOptions) =>
  signed(consensusAccounts.callWithdraw() as never, { amount: [q(amount), NATIVE] }, o);

function setup(balance = 100_000n) {
  const app = new AccountsRuntime();
  const store = new MemoryTreeStore();
  const genesis = app.init({
    runtime_id: RUNTIME_ID,
    consensus_backend: 'tendermint',
    consensus_protocol_version: { major: 7 },
    consensus_chain_context: CHAIN,
    local_config: encodeAccountsConfig({ balances: [[addr1, balance]] }),
  });
  const root = store.apply(EMPTY_HASH, genesis);
  let round = 1n;
  const run = (
    stateRoot: Uint8Array,
    inputs: Uint8Array[],
    extra: Partial<RuntimeExecuteTxBatchRequest> = {},
  ) =>
    executeBatch(app, store, {
      round: round++,
      state_root: stateRoot,
      consensus_height: 10n,
      epoch: 1n,
      timestamp: 0n,
      max_messages: 16,
      inputs,
      in_msgs: [],
      ...extra,
    });
  const block = (stateRoot: Uint8Array) => ({
    round: 1n,
    state_root: stateRoot,
    consensus_height: 10n,
    epoch: 1n,
  });
  /** A query as the client sends it (its exact CBOR args bytes), answered as the client decodes it. */
  const query = (stateRoot: Uint8Array, method: string, args: unknown) =>
    oasis.misc.fromCBOR(
      encodeCanonical(app.query(store.reader(stateRoot), method, decodeCanonical(oasis.misc.toCBOR(args)))),
    ) as never;
  const balances = (stateRoot: Uint8Array, address: Uint8Array): Map<string, bigint> => {
    const out = query(stateRoot, Methods.balances, { address }) as oasisRT.types.AccountsAccountBalances;
    return new Map([...out.balances].map(([d, a]) => [toHex(d), oasis.quantity.toBigInt(a)]));
  };
  const native = (stateRoot: Uint8Array, address: Uint8Array) => balances(stateRoot, address).get('') ?? 0n;
  return { app, store, root, run, query, native, balances, block };
}

const result = (bytes: Uint8Array) => oasis.misc.fromCBOR(bytes) as oasisRT.types.CallResult;

describe('accounts ParaTime', () => {
  it('derives the runtime chain context of the client-rt vector', () => {
    const ctx = runtimeChainContext(RUNTIME_ID, CHAIN);
    assert.equal(ctx, oasisRT.transaction.deriveChainContext(RUNTIME_ID, CHAIN));
    assert.equal(ctx, '3aa608b1c45966c145ebbe252340a5e8307acba2579b8c248aa1fd63921c2297');
  });

  it('executes a transfer signed by client-rt and charges the fee', async () => {
    const { root, run, native, query } = setup();
    const out = run(root, [await transferTx(addr2, 1_000n, { nonce: 0n, fee: 25n })]);
    assert.deepEqual(result(out.results[0]!), { ok: null });
    const next = out.header.state_root;
    assert.equal(native(next, addr1), 100_000n - 1_000n - 25n);
    assert.equal(native(next, addr2), 1_000n);
    assert.equal(native(next, FEE_ACCUMULATOR_ADDRESS), 25n);
    assert.equal(query(next, Methods.nonce, { address: addr1 }), 1);
    assert.equal(
      query(root, Methods.nonce, { address: addr1 }),
      0,
      'the previous root still reads the old state',
    );
    assert.notDeepEqual(next, root);
  });

  it('emits events client-rt decodes: Transfer for a transfer and for a withdrawal set aside, none for a failure; Burn once the consensus layer paid out', async () => {
    const { root, run } = setup(10_000n);
    const out = run(root, [
      await transferTx(addr2, 300n, { nonce: 0n, fee: 0n }),
      await withdrawTx(200n, { nonce: 1n, fee: 0n, messages: 1 }),
      await transferTx(addr2, 10n ** 9n, { nonce: 2n, fee: 0n }),
    ]);
    const next = run(out.header.state_root, [], {
      message_results: [{ module: '', code: 0, index: 0, result: new Uint8Array(0) }],
    });
    const txIndex = (hash: Uint8Array) => {
      const i = out.tx_hashes.findIndex((h) => toHex(h) === toHex(hash));
      return i >= 0 ? `tx${i}` : hash.every((b) => b === 0) ? 'block' : 'unknown';
    };
    const seen: string[] = [];
    const visitor = new oasisRT.event.Visitor([
      oasisRT.accounts.moduleEventHandler({
        [oasisRT.accounts.EVENT_TRANSFER_CODE]: (e, v) => {
          seen.push(
            `${txIndex(e.tx_hash!)} transfer ${toHex(v.from)}->${toHex(v.to)} ${oasis.quantity.toBigInt(v.amount[0])}`,
          );
        },
        [oasisRT.accounts.EVENT_BURN_CODE]: (e, v) => {
          seen.push(`${txIndex(e.tx_hash!)} burn ${toHex(v.owner)} ${oasis.quantity.toBigInt(v.amount[0])}`);
        },
      }),
      oasisRT.consensusAccounts.moduleEventHandler({
        [oasisRT.consensusAccounts.EVENT_WITHDRAW_CODE]: (e, v) => {
          seen.push(
            `${txIndex(e.tx_hash!)} withdraw ${toHex(v.from)}->${toHex(v.to)} ${oasis.quantity.toBigInt(v.amount[0])}`,
          );
        },
      }),
    ]);
    for (const [key, value] of [...out.io_write_log, ...next.io_write_log]) {
      if (key[0] !== 0x45) continue; // 'E' || event key || tx hash
      const event = {
        key: key.subarray(1, key.length - 32),
        value: value!,
        tx_hash: key.subarray(key.length - 32),
      };
      assert.ok(visitor.visit(event as never));
    }
    const pending = toHex(PENDING_WITHDRAWAL_ADDRESS);
    // The IO tree lists events by key (module, code, transaction hash), not by emission.
    assert.deepEqual(
      seen.sort(),
      [
        `tx0 transfer ${toHex(addr1)}->${toHex(addr2)} 300`,
        `tx1 transfer ${toHex(addr1)}->${pending} 200`,
        `block burn ${pending} 200`,
        `block withdraw ${toHex(addr1)}->${toHex(addr1)} 200`,
      ].sort(),
    );
  });

  it('burns a withdrawal the consensus layer paid out and refunds one it refused', async () => {
    const { root, run, native } = setup(1_000n);
    const out = run(root, [
      await withdrawTx(100n, { nonce: 0n, fee: 0n, messages: 1 }),
      await withdrawTx(200n, { nonce: 1n, fee: 0n, messages: 1 }),
    ]);
    assert.equal(native(out.header.state_root, addr1), 700n);
    assert.equal(native(out.header.state_root, PENDING_WITHDRAWAL_ADDRESS), 300n, 'set aside, not burnt yet');
    const next = run(out.header.state_root, [], {
      message_results: [
        { module: '', code: 0, index: 0, result: new Uint8Array(0) },
        { module: 'staking', code: 3, index: 1, result: new Uint8Array(0) },
      ],
    });
    assert.equal(native(next.header.state_root, addr1), 900n, 'the refused 200 came back');
    assert.equal(native(next.header.state_root, PENDING_WITHDRAWAL_ADDRESS), 0n);
    assert.equal(
      oasis.staking.addressToBech32(PENDING_WITHDRAWAL_ADDRESS),
      'oasis1qr677rv0dcnh7ys4yanlynysvnjtk9gnsyhvm6ln',
      "runtime-sdk's pending-withdrawal address",
    );
  });

  it('rejects a replayed nonce with core/4 and changes nothing', async () => {
    const { root, run, native } = setup();
    const tx = await transferTx(addr2, 1_000n, { nonce: 0n });
    const first = run(root, [tx]);
    const replay = run(first.header.state_root, [tx]);
    assert.deepEqual(result(replay.results[0]!).fail, {
      module: 'core',
      code: 4,
      message: 'invalid nonce 0 (expected 1)',
    });
    assert.deepEqual(replay.header.state_root, first.header.state_root);
    assert.deepEqual(replay.state_write_log, []);
    assert.equal(native(replay.header.state_root, addr2), 1_000n);
  });

  it('fails an over-balance transfer with accounts/2 but keeps fee and nonce', async () => {
    const { root, run, native, query } = setup(5_000n);
    const out = run(root, [await transferTx(addr2, 4_999n, { nonce: 0n, fee: 10n })]);
    const fail = result(out.results[0]!).fail!;
    assert.equal(fail.module, 'accounts');
    assert.equal(fail.code, oasisRT.accounts.ERR_INSUFFICIENT_BALANCE_CODE);
    assert.equal(native(out.header.state_root, addr1), 4_990n);
    assert.equal(native(out.header.state_root, addr2), 0n);
    assert.equal(query(out.header.state_root, Methods.nonce, { address: addr1 }), 1);
  });

  it('rejects signatures for another chain, short fees and short gas with core codes', async () => {
    const { root, run } = setup(100n);
    const out = run(root, [
      await transferTx(addr2, 1n, { nonce: 0n, chain: 'other-chain' }),
      await transferTx(addr2, 1n, { nonce: 0n, fee: 1_000n }),
      await transferTx(addr2, 1n, { nonce: 0n, gas: 100n }),
      encodeCanonical(['not', 'a tx']),
    ]);
    const codes = out.results.map((r) => result(r).fail?.code);
    assert.deepEqual(codes, [
      oasisRT.core.ERR_INVALID_TRANSACTION_CODE,
      oasisRT.core.ERR_INSUFFICIENT_FEE_BALANCE_CODE,
      oasisRT.core.ERR_OUT_OF_GAS_CODE,
      oasisRT.core.ERR_MALFORMED_TRANSACTION_CODE,
    ]);
    assert.deepEqual(out.header.state_root, root);
  });

  it('orders several nonces of one sender within a batch', async () => {
    const { root, run, native } = setup();
    const txs = await Promise.all([0n, 1n, 2n].map((nonce) => transferTx(addr2, 10n, { nonce, fee: 0n })));
    const out = run(root, txs);
    assert.deepEqual(
      out.results.map((r) => result(r).ok),
      [null, null, null],
    );
    assert.equal(native(out.header.state_root, addr2), 30n);
  });

  it('withdraws by burning here and emitting a staking transfer from the runtime account', async () => {
    const { root, run, native } = setup();
    const noSlot = run(root, [await withdrawTx(500n, { nonce: 0n, fee: 0n })]);
    assert.equal(result(noSlot.results[0]!).fail?.code, oasisRT.core.ERR_OUT_OF_MESSAGE_SLOTS_CODE);
    assert.deepEqual(noSlot.messages, []);
    const out = run(noSlot.header.state_root, [await withdrawTx(500n, { nonce: 1n, fee: 0n, messages: 1 })]);
    assert.deepEqual(result(out.results[0]!), { ok: null });
    assert.deepEqual(out.messages, [
      { staking: { v: 0, transfer: { to: addr1, amount: quantityToBytes(500n) } } },
    ]);
    assert.equal(native(out.header.state_root, addr1), 99_500n);
    assert.notDeepEqual(out.header.messages_hash, EMPTY_HASH);
    const tooMuch = run(out.header.state_root, [
      await withdrawTx(10n ** 9n, { nonce: 2n, fee: 0n, messages: 1 }),
    ]);
    assert.deepEqual(
      { module: result(tooMuch.results[0]!).fail?.module, code: result(tooMuch.results[0]!).fail?.code },
      { module: 'consensus_accounts', code: oasisRT.consensusAccounts.ERR_INSUFFICIENT_BALANCE_CODE },
    );
  });

  it('credits deposits from incoming consensus messages, to the caller or the named recipient', () => {
    const { root, run, native } = setup(0n);
    const msg = (id: bigint, tokens: bigint, data: Uint8Array): IncomingMessage => ({
      id,
      caller: addr1,
      tag: 0n,
      fee: 0n,
      tokens,
      data,
    });
    const toAddr2 = encodeCanonical({
      method: Methods.deposit,
      body: { to: addr2, amount: [quantityToBytes(7n), NATIVE] },
    });
    const out = run(root, [], {
      in_msgs: [msg(0n, 5n, new Uint8Array(0)), msg(1n, 7n, toAddr2), msg(2n, 3n, Uint8Array.of(0xff))],
    });
    assert.equal(native(out.header.state_root, addr1), 5n + 3n, 'malformed data still credits the caller');
    assert.equal(native(out.header.state_root, addr2), 7n);
    assert.equal(out.header.in_msgs_count, 3);
    assert.notDeepEqual(out.header.in_msgs_hash, EMPTY_HASH);
  });

  it('checks transactions with mempool metadata and the future-nonce code', async () => {
    const { app, store, root, block } = setup();
    const reader = store.reader(root);
    const ok = app.checkTx(
      reader,
      await transferTx(addr2, 1n, { nonce: 0n, fee: 20_000n, gas: 10_000n }),
      block(root),
    );
    assert.deepEqual(ok, { error: {}, meta: { priority: 2n, sender: addr1, sender_seq: 0n } });
    const future = app.checkTx(reader, await transferTx(addr2, 1n, { nonce: 3n }), block(root));
    assert.equal(future.error.code, oasisRT.core.ERR_FUTURE_NONCE_CODE);
    assert.equal(future.meta?.sender_seq, 3n, 'a future nonce still carries ordering metadata');
    const forged = await transferTx(addr2, 1n, { nonce: 0n, chain: 'elsewhere' });
    assert.deepEqual(app.checkTx(reader, forged, block(root)), {
      error: { module: 'core', code: 2, message: 'signer 0: invalid signature' },
    });
  });

  it('produces a write log that rebuilds the same root on an independent store', async () => {
    const { root, run } = setup();
    const out = run(root, [await transferTx(addr2, 1n, { nonce: 0n })]);
    const other = new MemoryTreeStore();
    const genesis = accountsGenesis({ balances: [[addr1, 100_000n]], minGasPrice: 0n });
    const otherGenesis = other.apply(EMPTY_HASH, genesis);
    assert.deepEqual(otherGenesis, root);
    assert.deepEqual(other.apply(otherGenesis, out.state_write_log), out.header.state_root);
    assert.equal(out.tx_hashes.length, 1);
    assert.equal(out.io_write_log.length, 3, 'input, output and one event tag');
  });

  it('estimates gas for an unsigned client-rt transaction exactly, and reports the gas price floor', async () => {
    const { root, run, query } = setup();
    const unsigned = accounts.callTransfer();
    unsigned.setBody({ to: addr2, amount: [q(7n), NATIVE] });
    unsigned.setSignerInfo([{ address_spec: { signature: { ed25519: pk1 } }, nonce: 0n }]);
    unsigned.setFeeGas(10_000n);
    const estimate = BigInt(query(root, 'core.EstimateGas', { tx: unsigned.transaction }) as number);
    const signedRaw = await transferTx(addr2, 7n, { nonce: 0n, fee: 0n, gas: 10_000n });
    assert.equal(estimate, BigInt(signedRaw.length) + 1_000n + 1_000n, 'bytes + one signature + transfer');
    const tight = run(root, [await transferTx(addr2, 7n, { nonce: 0n, fee: 0n, gas: estimate })]);
    assert.deepEqual(result(tight.results[0]!), { ok: null });
    const short = run(tight.header.state_root, [
      await transferTx(addr2, 7n, { nonce: 1n, fee: 0n, gas: estimate - 1n }),
    ]);
    assert.equal(result(short.results[0]!).fail?.code, oasisRT.core.ERR_OUT_OF_GAS_CODE);
    const prices = query(root, 'core.MinGasPrice', null) as Map<Uint8Array, Uint8Array>;
    assert.deepEqual(
      [...prices].map(([d, p]) => [d.length, p.length]),
      [[0, 0]],
    );
  });

  it('answers discovery queries under client-rt method names', async () => {
    const { root, run, query } = setup();
    const after = run(root, [await transferTx(addr2, 1n, { nonce: 0n, fee: 0n })]).header.state_root;
    const holders = query(after, oasisRT.accounts.METHOD_ADDRESSES, { denomination: NATIVE }) as Uint8Array[];
    assert.deepEqual(new Set(holders.map(toHex)), new Set([addr1, addr2].map(toHex)));
    assert.deepEqual(query(after, oasisRT.accounts.METHOD_DENOMINATION_INFO, { denomination: NATIVE }), {
      decimals: 9,
    });
    assert.throws(
      () => query(after, oasisRT.accounts.METHOD_DENOMINATION_INFO, { denomination: Uint8Array.of(1) }),
      {
        module: 'accounts',
        code: oasisRT.accounts.ERR_NOT_FOUND_CODE,
      },
    );
    const info = query(
      after,
      oasisRT.core.METHOD_RUNTIME_INFO,
      null,
    ) as oasisRT.types.CoreRuntimeInfoQueryResponse;
    assert.deepEqual(info.runtime_version, { major: 0, minor: 1 });
    assert.ok(
      info.modules.accounts!.methods.some(
        (m) => m.kind === 'call' && m.name === oasisRT.accounts.METHOD_TRANSFER,
      ),
    );
    assert.ok(
      info.modules.consensus_accounts!.methods.some(
        (m) => m.name === oasisRT.consensusAccounts.METHOD_WITHDRAW,
      ),
    );
  });

  it('answers unknown queries and bad arguments with coded errors', () => {
    const { app, store, root } = setup();
    assert.throws(() => app.query(store.reader(root), 'accounts.Nope', null), {
      module: 'core',
      code: 3,
    });
    assert.throws(() => app.query(store.reader(root), Methods.nonce, { address: 1 }), {
      module: 'accounts',
      code: 1,
    });
  });
});

// Independent signer sanity: our own key pair derives the same public key as the client's NaclSigner.
it('our Ed25519 key derivation matches the client signer', () => {
  assert.deepEqual(Ed25519KeyPair.fromSeed(seed1).publicKey, pk1);
});
