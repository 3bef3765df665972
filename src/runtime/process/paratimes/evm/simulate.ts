/**
 * `evm.SimulateCall`: runs a call (or, without `address`, a creation) against a throw-away buffer over the
 * queried state, as `eth_call` needs: no fee is taken and nothing is kept, the caller's nonce is bumped
 * first as a real transaction would (so a simulated creation lands where a real one would), and the
 * Ethereum intrinsic gas comes out of `gas_limit`. Reverts and failures are the coded errors a transaction
 * would get.
 */
import { createTx } from '@ethereumjs/tx';
import { Address } from '@ethereumjs/util';
import type { CborValue } from '../../../../codec/cbor.ts';
import { bytes, optional, struct, u64 } from '../../../../codec/schema.ts';
import type { StateReader } from '../../../../state/api.ts';
import { StateOverlay } from '../../../../state/overlay.ts';
import { getNonce, setNonce } from '../accounts/state.ts';
import { ETH_ADDRESS_SIZE, oasisAddressOfEth } from './address.ts';
import { decodeArgs, u256 } from './args.ts';
import { PLAIN_QUERIES, type QueryMode } from './call_data.ts';
import type { EvmBlock, EvmEngine, EvmOutcome } from './engine.ts';
import { callOutcome } from './eth_tx.ts';
import { EvmErrorCode, evmError } from './params.ts';

/** A message to simulate; `gasLimit` includes the Ethereum intrinsic gas. */
export interface SimulatedCall {
  caller: Uint8Array;
  to?: Uint8Array;
  value: bigint;
  data: Uint8Array;
  gasLimit: bigint;
  gasPrice: bigint;
  /** The calldata the transaction carries when it differs from what runs (an encrypted envelope): intrinsic gas is charged for it. */
  carriedData?: Uint8Array;
}

/** Ethereum intrinsic gas of a message (21000, calldata, creation and init code). */
export function intrinsicGas(engine: EvmEngine, call: Omit<SimulatedCall, 'caller' | 'gasPrice'>): bigint {
  return createTx(
    {
      gasLimit: call.gasLimit,
      ...(call.to !== undefined ? { to: new Address(call.to) } : {}),
      data: call.data,
      value: call.value,
    },
    { common: engine.common },
  ).getIntrinsicGas();
}

/** Runs `call` on a scratch copy of `state`; null when the gas limit is below the intrinsic gas. */
export async function simulate(
  engine: EvmEngine,
  state: StateReader,
  call: SimulatedCall,
  block: EvmBlock,
): Promise<(EvmOutcome & { intrinsicGas: bigint }) | null> {
  const intrinsic = intrinsicGas(engine, { ...call, data: call.carriedData ?? call.data });
  if (call.gasLimit < intrinsic) return null;
  const scratch = new StateOverlay(state);
  const owner = oasisAddressOfEth(call.caller);
  setNonce(scratch, owner, getNonce(scratch, owner) + 1n);
  const run = await engine.run(
    new StateOverlay(scratch),
    scratch,
    { ...call, gasLimit: call.gasLimit - intrinsic },
    block,
  );
  return { ...run, intrinsicGas: intrinsic };
}

const simulateArgs = struct({
  gas_price: u256,
  gas_limit: u64,
  caller: bytes(ETH_ADDRESS_SIZE),
  address: optional(bytes(ETH_ADDRESS_SIZE)),
  value: u256,
  data: bytes(),
});

/**
 * The return data of the simulated call (sealed for the caller when it came encrypted); throws evm/8
 * (reverted) or evm/2 (failed) in the clear, as runtime-sdk exposes failures of encrypted EVM calls.
 */
export async function simulateCall(
  engine: EvmEngine,
  state: StateReader,
  args: CborValue,
  block: EvmBlock,
  mode: QueryMode = PLAIN_QUERIES,
): Promise<Uint8Array> {
  const a = decodeArgs(simulateArgs, args);
  const opened = await mode.open(a.data);
  const run = await simulate(
    engine,
    state,
    {
      caller: mode.zeroCaller ? new Uint8Array(ETH_ADDRESS_SIZE) : a.caller,
      ...(a.address !== undefined ? { to: a.address } : {}),
      value: a.value,
      data: opened.data,
      carriedData: a.data,
      gasLimit: a.gas_limit,
      gasPrice: a.gas_price,
    },
    block,
  );
  if (run === null) throw evmError(EvmErrorCode.executionFailed, 'execution failed: out of gas');
  const outcome = callOutcome(run.status === 'ok' ? { ...run, createdAddress: undefined } : run, false);
  if ('fail' in outcome) throw evmError(outcome.fail.code, outcome.fail.message);
  return opened.seal(run.output);
}
