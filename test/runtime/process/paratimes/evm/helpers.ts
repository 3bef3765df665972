/**
 * Shared set-up of the EVM ParaTime tests: a runtime initialized like a host would, funded Ethereum keys
 * (ethers wallets), raw transactions wrapped as the web3 gateway submits them, and helpers to run
 * batches and queries against the in-memory state store.
 */
import { type TransactionRequest, Wallet } from 'ethers';
import { fromHex, toHex } from '../../../../../src/codec/bytes.ts';
import { type CborValue, decodeCanonical, encodeCanonical } from '../../../../../src/codec/cbor.ts';
import { EMPTY_HASH } from '../../../../../src/crypto/hash.ts';
import {
  FEE_ACCUMULATOR_ADDRESS,
  NATIVE_DENOMINATION,
} from '../../../../../src/runtime/process/paratimes/accounts/params.ts';
import { getBalance, getNonce } from '../../../../../src/runtime/process/paratimes/accounts/state.ts';
import {
  oasisAddressOfEth,
  parseEthAddress,
} from '../../../../../src/runtime/process/paratimes/evm/address.ts';
import { type EvmConfig, encodeEvmConfig } from '../../../../../src/runtime/process/paratimes/evm/genesis.ts';
import { ETHEREUM_TX_SCHEME } from '../../../../../src/runtime/process/paratimes/evm/params.ts';
import { EvmRuntime } from '../../../../../src/runtime/process/paratimes/evm/runtime.ts';
import { executeBatchAsync } from '../../../../../src/runtime/process/sdk/batch.ts';
import { eventKey, eventsOfTx } from '../../../../../src/runtime/protocol/events.ts';
import type { RuntimeExecuteTxBatchRequest } from '../../../../../src/runtime/protocol/types.ts';
import { MemoryTreeStore } from '../../../../../src/runtime/state/tree_store.ts';

export const RUNTIME_ID = fromHex(`80${'00'.repeat(31)}`);
export const CHAIN = 'test-chain-context';
export const CHAIN_ID = 42260n;
export const GWEI = 10n ** 9n;
export const ETHER = 10n ** 18n;

/** Funded test keys (public test keys: never use them for value). */
export const alice = new Wallet(`0x${'42'.repeat(32)}`);
export const bob = new Wallet(`0x${'43'.repeat(32)}`);
/** Holds nothing. */
export const carol = new Wallet(`0x${'44'.repeat(32)}`);

/** The 20 bytes of a `0x…` address. */
export const eth = (address: string): Uint8Array => parseEthAddress(address);
/** The runtime-sdk address of a `0x…` address. */
export const oasisOf = (address: string): Uint8Array => oasisAddressOfEth(eth(address));

/** A raw signed Ethereum transaction wrapped as runtime-sdk's `evm.ethereum.v0` UnverifiedTransaction. */
export function wrap(raw: string): Uint8Array {
  return encodeCanonical([fromHex(raw.slice(2)), [{ module: ETHEREUM_TX_SCHEME }]]);
}

/** Signs `tx` with `wallet` on our chain (legacy with EIP-155 unless `type` says otherwise). */
export async function signed(wallet: Wallet, tx: TransactionRequest): Promise<Uint8Array> {
  return wrap(
    await wallet.signTransaction({ chainId: CHAIN_ID, gasLimit: 1_000_000n, gasPrice: GWEI, type: 0, ...tx }),
  );
}

/** A decoded CallResult. */
export type Result = { ok?: CborValue; fail?: { module: string; code: number; message: string } };
export const result = (bytes: Uint8Array): Result => ({ ...(decodeCanonical(bytes) as Result) });

/** A fresh runtime (`app`, a plain EVM by default), store and genesis; alice and bob hold 1000 ether each. */
export function setup(config: Partial<EvmConfig> = {}, app = new EvmRuntime()) {
  const store = new MemoryTreeStore();
  const genesis = app.init({
    runtime_id: RUNTIME_ID,
    consensus_backend: 'tendermint',
    consensus_protocol_version: { major: 7 },
    consensus_chain_context: CHAIN,
    local_config: encodeEvmConfig({
      balances: [
        [oasisOf(alice.address), 1000n * ETHER],
        [oasisOf(bob.address), 1000n * ETHER],
      ],
      chainId: CHAIN_ID,
      ...config,
    }),
  });
  const root = store.apply(EMPTY_HASH, genesis);
  let round = 1n;
  const run = (
    stateRoot: Uint8Array,
    inputs: Uint8Array[],
    extra: Partial<RuntimeExecuteTxBatchRequest> = {},
  ) =>
    executeBatchAsync(app, store, {
      round: round++,
      state_root: stateRoot,
      consensus_height: 10n,
      epoch: 1n,
      timestamp: 1_700_000_000n,
      max_messages: 16,
      inputs,
      in_msgs: [],
      ...extra,
    });
  const block = (stateRoot: Uint8Array) => ({
    round: 7n,
    state_root: stateRoot,
    consensus_height: 10n,
    epoch: 1n,
  });
  /** A query with args passed through CBOR, as the host delivers them. */
  const query = async (stateRoot: Uint8Array, method: string, args: unknown) =>
    app.query(
      store.reader(stateRoot),
      method,
      decodeCanonical(encodeCanonical(args as CborValue)),
      block(stateRoot),
    );
  const balance = (stateRoot: Uint8Array, address: string) =>
    getBalance(store.reader(stateRoot), oasisOf(address), NATIVE_DENOMINATION);
  const nonce = (stateRoot: Uint8Array, address: string) =>
    getNonce(store.reader(stateRoot), oasisOf(address));
  const fees = (stateRoot: Uint8Array) =>
    getBalance(store.reader(stateRoot), FEE_ACCUMULATOR_ADDRESS, NATIVE_DENOMINATION);
  return { app, store, root, run, query, block, balance, nonce, fees };
}

/** The events of transaction `i` of a batch, as `{module||code hex: bodies}`. */
export function eventsOf(
  out: { io_write_log: Array<[Uint8Array, Uint8Array | null]>; tx_hashes: Uint8Array[] },
  i: number,
): Map<string, CborValue[]> {
  return new Map(
    eventsOfTx(out.io_write_log, out.tx_hashes[i]!).map((e) => [
      toHex(e.key),
      decodeCanonical(e.value) as CborValue[],
    ]),
  );
}

/** Event keys (`module || u32 code`) in hex. */
export const EventKeys = Object.freeze({
  evmLog: toHex(eventKey('evm', 1)),
  gasUsed: toHex(eventKey('core', 1)),
  transfer: toHex(eventKey('accounts', 1)),
});
