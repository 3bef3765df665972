/**
 * The call object of `eth_call` and `eth_estimateGas`, and what it becomes for the runtime: an
 * `evm.SimulateCall` query or a `core.EstimateGas` of an `evm.Call`/`evm.Create`, with the web3 gateway's
 * defaults (caller `0x0100…00`, the block gas limit, a gas price of 1; `input` preferred over `data`).
 */

import { fromHex } from '../../codec/bytes.ts';
import type { CborValue } from '../../codec/cbor.ts';
import { quantityToBytes } from '../../codec/quantity.ts';
import { RpcErrors } from './errors.ts';
import { parseAddress, parseData, parseQuantity } from './hex.ts';

/** A parsed call object. */
export interface CallArgs {
  from?: Uint8Array;
  to?: Uint8Array;
  gas?: bigint;
  gasPrice?: bigint;
  value: bigint;
  data: Uint8Array;
}

const U64_MAX = (1n << 64n) - 1n;
/** The gateway's default caller (Go `common.Address{1}`). */
const DEFAULT_CALLER = fromHex(`01${'00'.repeat(19)}`);
/**
 * A secp256k1 public key (the generator point, compressed) standing in for the signer of an estimated
 * transaction, so the estimate counts one signature as a real transaction pays it.
 */
const DUMMY_SIGNER = fromHex('0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798');

/** Parses argument `arg` as a call object. */
export function parseCallArgs(v: unknown, arg: number): CallArgs {
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw RpcErrors.invalidArgument(arg, 'expected a transaction call object');
  const o = v as Record<string, unknown>;
  const opt = <T>(x: unknown, parse: (x: unknown, arg: number) => T): T | undefined =>
    x === undefined || x === null ? undefined : parse(x, arg);
  const input = opt(o.input, parseData);
  const dataField = opt(o.data, parseData);
  if (input !== undefined && dataField !== undefined && Buffer.compare(input, dataField) !== 0)
    throw RpcErrors.invalidArgument(arg, 'both "data" and "input" are set and not equal');
  const gasPrice = opt(o.gasPrice, parseQuantity) ?? opt(o.maxFeePerGas, parseQuantity);
  const from = opt(o.from, parseAddress);
  const to = opt(o.to, parseAddress);
  const gas = opt(o.gas, (x, a) => parseQuantity(x, a, U64_MAX));
  return {
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    ...(gas !== undefined ? { gas } : {}),
    ...(gasPrice !== undefined ? { gasPrice } : {}),
    value: opt(o.value, parseQuantity) ?? 0n,
    data: input ?? dataField ?? new Uint8Array(0),
  };
}

/** `evm.SimulateCall` arguments. */
export function simulateCallArgs(c: CallArgs, gasLimit: bigint): CborValue {
  return {
    gas_price: quantityToBytes(c.gasPrice ?? 1n),
    gas_limit: c.gas !== undefined && c.gas < gasLimit ? c.gas : gasLimit,
    caller: c.from ?? DEFAULT_CALLER,
    ...(c.to !== undefined ? { address: c.to } : {}),
    value: quantityToBytes(c.value),
    data: c.data,
  };
}

/** `core.EstimateGas` arguments (failures propagated, so a revert comes back as one). */
export function estimateGasArgs(c: CallArgs): CborValue {
  const call: CborValue =
    c.to !== undefined
      ? { method: 'evm.Call', body: { address: c.to, value: quantityToBytes(c.value), data: c.data } }
      : { method: 'evm.Create', body: { value: quantityToBytes(c.value), init_code: c.data } };
  return {
    caller: { eth_address: c.from ?? new Uint8Array(20) },
    tx: {
      v: 1,
      call,
      ai: {
        si: [{ address_spec: { signature: { secp256k1eth: DUMMY_SIGNER } }, nonce: 0 }],
        fee: { amount: [new Uint8Array(0), new Uint8Array(0)], gas: 0, consensus_messages: 0 },
      },
    },
    propagate_failures: true,
  };
}
