/**
 * `core.EstimateGas` for `evm.Call` and `evm.Create` (what `eth_estimateGas` asks): the smallest gas limit
 * with which the call succeeds, found by simulating at the batch ceiling and then bisecting (gas used is
 * not enough: refunds and the 63/64 rule can need more during execution than is finally used). It counts
 * the SDK's gas for the transaction's bytes (signatures assumed 65 bytes) and signatures, like a real
 * transaction pays. Other methods are estimated by the accounts module.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { type CborValue, encodeCanonical } from '../../../../codec/cbor.ts';
import { anyValue, arrayOf, bool, bytes, optional, struct, text } from '../../../../codec/schema.ts';
import type { StateReader } from '../../../../state/api.ts';
import { GasCosts } from '../accounts/params.ts';
import { ETH_ADDRESS_SIZE, ethAddressOfPublicKey } from './address.ts';
import { decodeArgs, u256 } from './args.ts';
import { PLAIN_QUERIES, type QueryMode } from './call_data.ts';
import type { EvmBlock, EvmEngine } from './engine.ts';
import { callOutcome } from './eth_tx.ts';
import { EvmErrorCode, EvmMethods, evmError } from './params.ts';
import { type SimulatedCall, simulate } from './simulate.ts';

const estimateArgs = struct({
  caller: optional(struct({ address: optional(bytes()), eth_address: optional(bytes(ETH_ADDRESS_SIZE)) })),
  tx: anyValue,
  propagate_failures: optional(bool),
});

const txShape = struct({
  v: anyValue,
  call: struct({ format: optional(anyValue), method: text, body: anyValue, ro: optional(anyValue) }),
  ai: struct({
    si: arrayOf(struct({ address_spec: anyValue, nonce: anyValue }), 16),
    fee: anyValue,
    not_before: optional(anyValue),
    not_after: optional(anyValue),
  }),
});
const callBody = struct({ address: bytes(ETH_ADDRESS_SIZE), value: u256, data: bytes() });
const createBody = struct({ value: u256, init_code: bytes() });
const secp256k1ethSpec = struct({ signature: struct({ secp256k1eth: bytes(33) }) });

/** Whether `args` estimates an EVM call (else the accounts module estimates it). */
export function isEvmEstimate(args: CborValue): boolean {
  try {
    const method = txShape(decodeArgs(estimateArgs, args).tx, 'tx').call.method;
    return method === EvmMethods.call || method === EvmMethods.create;
  } catch {
    return false;
  }
}

function callerOf(a: ReturnType<typeof estimateArgs>, tx: ReturnType<typeof txShape>): Uint8Array {
  if (a.caller?.eth_address !== undefined) return a.caller.eth_address;
  try {
    const pk = secp256k1ethSpec(tx.ai.si[0]!.address_spec, 'address_spec').signature.secp256k1eth;
    return ethAddressOfPublicKey(secp256k1.Point.fromBytes(pk).toBytes(false));
  } catch {
    return new Uint8Array(ETH_ADDRESS_SIZE);
  }
}

/** The gas an `evm.Call`/`evm.Create` transaction needs; a failing call is coded (or its gas used). */
export async function estimateEvmGas(
  engine: EvmEngine,
  state: StateReader,
  args: CborValue,
  block: EvmBlock,
  mode: QueryMode = PLAIN_QUERIES,
): Promise<bigint> {
  const a = decodeArgs(estimateArgs, args);
  const tx = decodeArgs(txShape, a.tx);
  const create = tx.call.method === EvmMethods.create;
  let body: { to?: Uint8Array; value: bigint; data: Uint8Array };
  if (create) {
    const c = decodeArgs(createBody, tx.call.body);
    body = { value: c.value, data: c.init_code };
  } else {
    const c = decodeArgs(callBody, tx.call.body);
    body = { to: c.address, value: c.value, data: c.data };
  }
  const signed = encodeCanonical([
    encodeCanonical(a.tx),
    tx.ai.si.map(() => ({ signature: new Uint8Array(65) })),
  ]);
  const sdkGas = BigInt(signed.length) * GasCosts.txByte + BigInt(tx.ai.si.length) * GasCosts.authSignature;
  const opened = await mode.open(body.data);
  const caller = mode.zeroCaller ? new Uint8Array(ETH_ADDRESS_SIZE) : callerOf(a, tx);
  const call = (gasLimit: bigint): SimulatedCall => ({
    caller,
    ...(body.to !== undefined ? { to: body.to } : {}),
    value: body.value,
    data: opened.data,
    carriedData: body.data,
    gasLimit,
    gasPrice: 0n,
  });
  const ceiling = block.gasLimit - sdkGas;
  const top = await simulate(engine, state, call(ceiling), block);
  if (top === null) throw evmError(EvmErrorCode.executionFailed, 'execution failed: out of gas');
  if (top.status !== 'ok') {
    const outcome = callOutcome(top, create);
    // A confidential runtime never tells why a simulation failed (runtime-sdk forces propagate_failures off).
    if (a.propagate_failures === true && !mode.zeroCaller && 'fail' in outcome)
      throw evmError(outcome.fail.code, outcome.fail.message);
    return sdkGas + top.intrinsicGas + top.gasUsed;
  }
  let lo = top.intrinsicGas + top.gasUsed - 1n; // fails (or is at least not known to pass)
  let hi = ceiling; // passes
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    const run = await simulate(engine, state, call(mid), block);
    if (run !== null && run.status === 'ok') hi = mid;
    else lo = mid;
  }
  return sdkGas + hi;
}
