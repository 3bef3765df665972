/**
 * runtime-sdk's user-signed `consensus.Deposit`: the runtime emits a staking `withdraw` from the signer's
 * consensus account and credits the recipient only in a later round, once the consensus layer reports the
 * withdrawal done (the roothash's last round results, passed as `message_results`); a refused withdrawal
 * credits nothing; each deposit is credited once. In the EVM ParaTime the amount is wei and the withdrawal
 * is of amount / 10^9 base units.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as oasis from '@oasisprotocol/client';
import * as oasisRT from '@oasisprotocol/client-rt';
import { toHex } from '../../../../../src/codec/bytes.ts';
import { decodeCanonical } from '../../../../../src/codec/cbor.ts';
import { quantityToBytes } from '../../../../../src/codec/quantity.ts';
import { addressFromPublicKey } from '../../../../../src/crypto/address.ts';
import { EMPTY_HASH } from '../../../../../src/crypto/hash.ts';
import { encodeAccountsConfig } from '../../../../../src/runtime/process/paratimes/accounts/genesis.ts';
import { NATIVE_DENOMINATION } from '../../../../../src/runtime/process/paratimes/accounts/params.ts';
import { AccountsRuntime } from '../../../../../src/runtime/process/paratimes/accounts/runtime.ts';
import { getBalance } from '../../../../../src/runtime/process/paratimes/accounts/state.ts';
import { BLOCK_TX_HASH, executeBatch } from '../../../../../src/runtime/process/sdk/batch.ts';
import { eventKey, eventsOfTx } from '../../../../../src/runtime/protocol/events.ts';
import type {
  MessageResult,
  RuntimeExecuteTxBatchRequest,
} from '../../../../../src/runtime/protocol/types.ts';
import { MemoryTreeStore } from '../../../../../src/runtime/state/tree_store.ts';
import { CHAIN, setup as evmSetup, GWEI, RUNTIME_ID, result } from '../evm/helpers.ts';
import { signSdkTx } from '../sdk_tx.ts';

const user = oasis.signature.NaclSigner.fromSeed(new Uint8Array(32).fill(3), 'this key is not important');
const userAddress = addressFromPublicKey(user.public());
const friend = addressFromPublicKey(
  oasis.signature.NaclSigner.fromSeed(new Uint8Array(32).fill(4), 'this key is not important').public(),
);
const consensusAccounts = new oasisRT.consensusAccounts.Wrapper(RUNTIME_ID);
const amount = (n: bigint) => [oasis.quantity.fromBigInt(n), oasisRT.token.NATIVE_DENOMINATION];
const depositTx = (n: bigint, nonce: bigint, to?: Uint8Array) =>
  signSdkTx(
    consensusAccounts.callDeposit() as never,
    { ...(to !== undefined ? { to } : {}), amount: amount(n) },
    { signer: user, nonce, fee: 0n, messages: 1, chain: CHAIN },
  );
const withdrawTx = (n: bigint, nonce: bigint) =>
  signSdkTx(
    consensusAccounts.callWithdraw() as never,
    { amount: amount(n) },
    {
      signer: user,
      nonce,
      fee: 0n,
      messages: 1,
      chain: CHAIN,
    },
  );
const success = (index: number): MessageResult => ({ module: '', code: 0, index, result: new Uint8Array(0) });

/** The accounts ParaTime with the user holding `balance`, run batch by batch. */
function accountsChain(balance: bigint, minGasPrice = 0n) {
  const app = new AccountsRuntime();
  const store = new MemoryTreeStore();
  let root = store.apply(
    EMPTY_HASH,
    app.init({
      runtime_id: RUNTIME_ID,
      consensus_backend: 'tendermint',
      consensus_protocol_version: { major: 7 },
      consensus_chain_context: CHAIN,
      local_config: encodeAccountsConfig({ balances: [[userAddress, balance]], minGasPrice }),
    }),
  );
  let round = 1n;
  const run = (inputs: Uint8Array[], extra: Partial<RuntimeExecuteTxBatchRequest> = {}) => {
    const out = executeBatch(app, store, {
      round: round++,
      state_root: root,
      consensus_height: 10n,
      epoch: 1n,
      timestamp: 0n,
      max_messages: 16,
      inputs,
      in_msgs: [],
      ...extra,
    });
    root = out.header.state_root;
    return out;
  };
  const balanceOf = (address: Uint8Array) => getBalance(store.reader(root), address, NATIVE_DENOMINATION);
  return { run, balanceOf };
}

/** The Deposit events of a batch's block (not of a transaction). */
function depositEvents(ioWriteLog: Array<[Uint8Array, Uint8Array | null]>) {
  const key = toHex(eventKey('consensus_accounts', 1));
  return eventsOfTx(ioWriteLog, BLOCK_TX_HASH)
    .filter((e) => toHex(e.key) === key)
    .flatMap((e) => decodeCanonical(e.value) as Array<Record<string, unknown>>)
    .map((e) => ({ ...e, ...(e.error !== undefined ? { error: { ...(e.error as object) } } : {}) }));
}

describe('user-signed consensus.Deposit', () => {
  it('withdraws from the signer on consensus, then credits the recipient once the withdrawal succeeded', async () => {
    const { run, balanceOf } = accountsChain(0n);
    const first = run([await depositTx(700n, 0n, friend)]);
    assert.deepEqual(result(first.results[0]!), { ok: null });
    assert.deepEqual(first.messages, [
      { staking: { v: 0, withdraw: { from: userAddress, amount: quantityToBytes(700n) } } },
    ]);
    assert.equal(balanceOf(friend), 0n, 'nothing is credited before the consensus layer moved the tokens');

    const second = run([], { message_results: [success(0)] });
    assert.equal(balanceOf(friend), 700n);
    assert.deepEqual(depositEvents(second.io_write_log), [
      { from: userAddress, nonce: 0, to: friend, amount: [quantityToBytes(700n), NATIVE_DENOMINATION] },
    ]);
    // The roothash keeps reporting the last normal round's results until another one finalizes.
    const third = run([], { message_results: [success(0)] });
    assert.equal(balanceOf(friend), 700n, 'credited once');
    assert.deepEqual(depositEvents(third.io_write_log), []);
  });

  it('credits nothing when the consensus layer refuses the withdrawal (no allowance)', async () => {
    const { run, balanceOf } = accountsChain(0n);
    run([await depositTx(5n, 0n)]);
    const refused = run([], {
      message_results: [{ module: 'staking', code: 5, index: 0, result: new Uint8Array(0) }],
    });
    assert.equal(balanceOf(userAddress), 0n);
    assert.deepEqual(depositEvents(refused.io_write_log), [
      {
        from: userAddress,
        nonce: 0,
        to: userAddress,
        amount: [quantityToBytes(5n), NATIVE_DENOMINATION],
        error: { module: 'staking', code: 5 },
      },
    ]);
  });

  it('matches each deposit to its own message among several in one batch', async () => {
    const { run, balanceOf } = accountsChain(1_000n);
    const out = run([await withdrawTx(100n, 0n), await depositTx(30n, 1n, friend), await depositTx(40n, 2n)]);
    assert.equal(out.messages.length, 3);
    // Message 1 (the first deposit) failed on consensus, message 2 succeeded.
    run([], {
      message_results: [
        success(0),
        { module: 'staking', code: 2, index: 1, result: new Uint8Array(0) },
        success(2),
      ],
    });
    assert.equal(balanceOf(friend), 0n);
    assert.equal(balanceOf(userAddress), 1_000n - 100n + 40n);
  });

  it('is exempt from the minimum gas price, so someone with nothing in the runtime can deposit', async () => {
    const { run } = accountsChain(0n, 10n);
    const out = run([await depositTx(5n, 0n), await withdrawTx(1n, 1n)]);
    assert.deepEqual(result(out.results[0]!), { ok: null });
    assert.equal(out.messages.length, 1);
    assert.equal(result(out.results[1]!).fail?.code, 20, 'other methods still pay the minimum (core/20)');
  });

  it('needs a message slot, and changes nothing without one', async () => {
    const { run, balanceOf } = accountsChain(0n);
    const tx = await signSdkTx(
      consensusAccounts.callDeposit() as never,
      { amount: amount(5n) },
      {
        signer: user,
        nonce: 0n,
        fee: 0n,
        chain: CHAIN,
      },
    );
    const out = run([tx]);
    assert.equal(result(out.results[0]!).fail?.code, oasisRT.core.ERR_OUT_OF_MESSAGE_SLOTS_CODE);
    assert.deepEqual(out.messages, []);
    run([], { message_results: [success(0)] });
    assert.equal(balanceOf(userAddress), 0n, 'no hook was kept for a failed call');
  });

  it('in the EVM ParaTime, withdraws amount / 10^9 base units and refuses an amount that does not scale', async () => {
    const { root, run, store } = evmSetup();
    const out = await run(root, [await depositTx(5n * GWEI, 0n, friend), await depositTx(GWEI + 1n, 1n)]);
    assert.deepEqual(result(out.results[0]!), { ok: null });
    const refused = result(out.results[1]!).fail;
    assert.deepEqual({ module: refused?.module, code: refused?.code }, { module: 'consensus', code: 5 });
    assert.deepEqual(out.messages, [
      { staking: { v: 0, withdraw: { from: userAddress, amount: quantityToBytes(5n) } } },
    ]);
    const next = await run(out.header.state_root, [], { message_results: [success(0)] });
    assert.equal(getBalance(store.reader(next.header.state_root), friend, NATIVE_DENOMINATION), 5n * GWEI);
  });
});
